-- CreateTable
CREATE TABLE "brand_kits" (
    "collectionId" UUID NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "brand_kits_pkey" PRIMARY KEY ("collectionId")
);

-- CreateTable
CREATE TABLE "brand_sections" (
    "id" UUID NOT NULL,
    "collectionId" UUID NOT NULL,
    "title" TEXT NOT NULL,
    "position" INTEGER NOT NULL,

    CONSTRAINT "brand_sections_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "brand_entries" (
    "id" UUID NOT NULL,
    "sectionId" UUID NOT NULL,
    "assetId" UUID NOT NULL,
    "position" INTEGER NOT NULL,
    "variants" JSONB NOT NULL DEFAULT '[]',
    "usageNotes" TEXT NOT NULL DEFAULT '',
    "expiresAt" TIMESTAMPTZ(3),
    "withdrawnAt" TIMESTAMPTZ(3),
    "withdrawnReason" TEXT NOT NULL DEFAULT '',
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "brand_entries_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "brand_sections_collectionId_position_idx" ON "brand_sections"("collectionId", "position");

-- CreateIndex
CREATE INDEX "brand_entries_assetId_idx" ON "brand_entries"("assetId");

-- CreateIndex
CREATE UNIQUE INDEX "brand_entries_sectionId_assetId_key" ON "brand_entries"("sectionId", "assetId");

-- AddForeignKey
ALTER TABLE "brand_kits" ADD CONSTRAINT "brand_kits_collectionId_fkey" FOREIGN KEY ("collectionId") REFERENCES "collections"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "brand_sections" ADD CONSTRAINT "brand_sections_collectionId_fkey" FOREIGN KEY ("collectionId") REFERENCES "brand_kits"("collectionId") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "brand_entries" ADD CONSTRAINT "brand_entries_sectionId_fkey" FOREIGN KEY ("sectionId") REFERENCES "brand_sections"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "brand_entries" ADD CONSTRAINT "brand_entries_assetId_fkey" FOREIGN KEY ("assetId") REFERENCES "assets"("id") ON DELETE CASCADE ON UPDATE CASCADE;

