-- AlterTable
ALTER TABLE "search_documents" ADD COLUMN     "createdById" UUID;

-- CreateTable
CREATE TABLE "metadata_schemas" (
    "collectionId" UUID NOT NULL,
    "fields" JSONB NOT NULL DEFAULT '[]',
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "metadata_schemas_pkey" PRIMARY KEY ("collectionId")
);

-- CreateTable
CREATE TABLE "asset_field_values" (
    "assetId" UUID NOT NULL,
    "values" JSONB NOT NULL DEFAULT '{}',
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "asset_field_values_pkey" PRIMARY KEY ("assetId")
);

-- CreateTable
CREATE TABLE "invitations" (
    "id" UUID NOT NULL,
    "tokenHash" TEXT NOT NULL,
    "email" TEXT NOT NULL,
    "role" "UserRole" NOT NULL DEFAULT 'member',
    "invitedById" UUID NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "expiresAt" TIMESTAMPTZ(3) NOT NULL,
    "acceptedAt" TIMESTAMPTZ(3),
    "revokedAt" TIMESTAMPTZ(3),
    "userId" UUID,

    CONSTRAINT "invitations_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "invitations_tokenHash_key" ON "invitations"("tokenHash");

-- CreateIndex
CREATE INDEX "invitations_email_idx" ON "invitations"("email");

-- CreateIndex
CREATE INDEX "search_documents_createdById_idx" ON "search_documents"("createdById");

-- AddForeignKey
ALTER TABLE "metadata_schemas" ADD CONSTRAINT "metadata_schemas_collectionId_fkey" FOREIGN KEY ("collectionId") REFERENCES "collections"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "asset_field_values" ADD CONSTRAINT "asset_field_values_assetId_fkey" FOREIGN KEY ("assetId") REFERENCES "assets"("id") ON DELETE CASCADE ON UPDATE CASCADE;


-- Documents indexed before this column existed get their uploader now (new ones get it when indexed).
UPDATE "search_documents" d SET "createdById" = a."createdById" FROM "assets" a WHERE a.id = d."assetId";
