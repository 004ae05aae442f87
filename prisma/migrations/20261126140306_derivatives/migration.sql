-- CreateEnum
CREATE TYPE "DerivativeStatus" AS ENUM ('pending', 'processing', 'ready', 'failed');

-- CreateTable
CREATE TABLE "derivatives" (
    "id" UUID NOT NULL,
    "versionId" UUID NOT NULL,
    "preset" TEXT NOT NULL,
    "status" "DerivativeStatus" NOT NULL DEFAULT 'pending',
    "blobSha256" TEXT,
    "mimeType" TEXT,
    "size" BIGINT,
    "width" INTEGER,
    "height" INTEGER,
    "durationSeconds" DOUBLE PRECISION,
    "data" JSONB NOT NULL DEFAULT '{}',
    "progress" INTEGER NOT NULL DEFAULT 0,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "failureReason" TEXT,
    "failure" TEXT,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,
    "startedAt" TIMESTAMPTZ(3),
    "finishedAt" TIMESTAMPTZ(3),

    CONSTRAINT "derivatives_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "derivatives_status_updatedAt_idx" ON "derivatives"("status", "updatedAt");

-- CreateIndex
CREATE INDEX "derivatives_blobSha256_idx" ON "derivatives"("blobSha256");

-- CreateIndex
CREATE UNIQUE INDEX "derivatives_versionId_preset_key" ON "derivatives"("versionId", "preset");

-- AddForeignKey
ALTER TABLE "derivatives" ADD CONSTRAINT "derivatives_versionId_fkey" FOREIGN KEY ("versionId") REFERENCES "versions"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "derivatives" ADD CONSTRAINT "derivatives_blobSha256_fkey" FOREIGN KEY ("blobSha256") REFERENCES "blobs"("sha256") ON DELETE RESTRICT ON UPDATE CASCADE;

