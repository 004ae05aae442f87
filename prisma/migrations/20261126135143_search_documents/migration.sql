-- Search index of the default (Postgres) backend. Generated from schema.prisma (the models
-- were committed with the client_sessions migration, whose SQL did not create them).

-- CreateTable
CREATE TABLE "search_documents" (
    "assetId" UUID NOT NULL,
    "collectionId" UUID,
    "kind" "AssetKind" NOT NULL,
    "name" TEXT NOT NULL,
    "nameKey" TEXT NOT NULL,
    "description" TEXT NOT NULL DEFAULT '',
    "tags" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "tagKeys" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "mimeType" TEXT,
    "orientation" TEXT,
    "lockedById" UUID,
    "headVersion" INTEGER NOT NULL DEFAULT 0,
    "document" tsvector NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,
    "indexedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "search_documents_pkey" PRIMARY KEY ("assetId")
);

-- CreateTable
CREATE TABLE "search_index_cursors" (
    "backend" TEXT NOT NULL,
    "outboxId" BIGINT NOT NULL DEFAULT 0,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "search_index_cursors_pkey" PRIMARY KEY ("backend")
);

-- CreateIndex
CREATE INDEX "search_documents_document_idx" ON "search_documents" USING GIN ("document");

-- CreateIndex
CREATE INDEX "search_documents_nameKey_trgm_idx" ON "search_documents" USING GIN ("nameKey" gin_trgm_ops);

-- CreateIndex
CREATE INDEX "search_documents_tagKeys_idx" ON "search_documents" USING GIN ("tagKeys");

-- CreateIndex
CREATE INDEX "search_documents_collectionId_idx" ON "search_documents"("collectionId");

-- CreateIndex
CREATE INDEX "search_documents_updatedAt_idx" ON "search_documents"("updatedAt");

-- CreateIndex
CREATE INDEX "search_documents_nameKey_idx" ON "search_documents"("nameKey");

