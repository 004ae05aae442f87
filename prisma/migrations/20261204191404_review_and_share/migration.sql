-- CreateEnum
CREATE TYPE "ReviewStatus" AS ENUM ('in_review', 'changes_requested', 'approved');

-- CreateTable
CREATE TABLE "review_comments" (
    "id" UUID NOT NULL,
    "assetId" UUID NOT NULL,
    "versionNumber" INTEGER NOT NULL,
    "parentId" UUID,
    "authorId" UUID,
    "guestName" TEXT,
    "shareLinkId" UUID,
    "body" TEXT NOT NULL,
    "mentions" UUID[] DEFAULT ARRAY[]::UUID[],
    "startSeconds" DOUBLE PRECISION,
    "endSeconds" DOUBLE PRECISION,
    "startFrame" INTEGER,
    "endFrame" INTEGER,
    "frameRate" DOUBLE PRECISION,
    "regionX" DOUBLE PRECISION,
    "regionY" DOUBLE PRECISION,
    "regionWidth" DOUBLE PRECISION,
    "regionHeight" DOUBLE PRECISION,
    "resolvedAt" TIMESTAMPTZ(3),
    "resolvedById" UUID,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "editedAt" TIMESTAMPTZ(3),

    CONSTRAINT "review_comments_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "version_reviews" (
    "assetId" UUID NOT NULL,
    "versionNumber" INTEGER NOT NULL,
    "status" "ReviewStatus" NOT NULL,
    "updatedById" UUID,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "version_reviews_pkey" PRIMARY KEY ("assetId","versionNumber")
);

-- CreateTable
CREATE TABLE "review_decisions" (
    "id" BIGSERIAL NOT NULL,
    "assetId" UUID NOT NULL,
    "versionNumber" INTEGER NOT NULL,
    "status" "ReviewStatus" NOT NULL,
    "actorId" UUID,
    "note" TEXT NOT NULL DEFAULT '',
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "review_decisions_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "collection_review_rules" (
    "collectionId" UUID NOT NULL,
    "requireApproval" BOOLEAN NOT NULL DEFAULT true,
    "approverId" UUID,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "collection_review_rules_pkey" PRIMARY KEY ("collectionId")
);

-- CreateTable
CREATE TABLE "share_links" (
    "id" UUID NOT NULL,
    "secretHash" TEXT NOT NULL,
    "prefix" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "assetId" UUID,
    "collectionId" UUID,
    "createdById" UUID NOT NULL,
    "expiresAt" TIMESTAMPTZ(3),
    "passwordHash" TEXT,
    "allowDownload" BOOLEAN NOT NULL DEFAULT false,
    "allowComments" BOOLEAN NOT NULL DEFAULT true,
    "revokedAt" TIMESTAMPTZ(3),
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "share_links_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "share_accesses" (
    "id" BIGSERIAL NOT NULL,
    "linkId" UUID NOT NULL,
    "kind" TEXT NOT NULL,
    "ip" TEXT,
    "userAgent" TEXT,
    "detail" TEXT NOT NULL DEFAULT '',
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "share_accesses_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "review_comments_assetId_versionNumber_idx" ON "review_comments"("assetId", "versionNumber");

-- CreateIndex
CREATE INDEX "review_comments_parentId_idx" ON "review_comments"("parentId");

-- CreateIndex
CREATE INDEX "version_reviews_status_idx" ON "version_reviews"("status");

-- CreateIndex
CREATE INDEX "review_decisions_assetId_versionNumber_idx" ON "review_decisions"("assetId", "versionNumber");

-- CreateIndex
CREATE UNIQUE INDEX "share_links_secretHash_key" ON "share_links"("secretHash");

-- CreateIndex
CREATE INDEX "share_links_assetId_idx" ON "share_links"("assetId");

-- CreateIndex
CREATE INDEX "share_links_collectionId_idx" ON "share_links"("collectionId");

-- CreateIndex
CREATE INDEX "share_links_createdById_idx" ON "share_links"("createdById");

-- CreateIndex
CREATE INDEX "share_accesses_linkId_createdAt_idx" ON "share_accesses"("linkId", "createdAt");

-- AddForeignKey
ALTER TABLE "review_comments" ADD CONSTRAINT "review_comments_assetId_fkey" FOREIGN KEY ("assetId") REFERENCES "assets"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "review_comments" ADD CONSTRAINT "review_comments_parentId_fkey" FOREIGN KEY ("parentId") REFERENCES "review_comments"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "version_reviews" ADD CONSTRAINT "version_reviews_assetId_fkey" FOREIGN KEY ("assetId") REFERENCES "assets"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "collection_review_rules" ADD CONSTRAINT "collection_review_rules_collectionId_fkey" FOREIGN KEY ("collectionId") REFERENCES "collections"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "share_links" ADD CONSTRAINT "share_links_assetId_fkey" FOREIGN KEY ("assetId") REFERENCES "assets"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "share_links" ADD CONSTRAINT "share_links_collectionId_fkey" FOREIGN KEY ("collectionId") REFERENCES "collections"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "share_accesses" ADD CONSTRAINT "share_accesses_linkId_fkey" FOREIGN KEY ("linkId") REFERENCES "share_links"("id") ON DELETE CASCADE ON UPDATE CASCADE;

