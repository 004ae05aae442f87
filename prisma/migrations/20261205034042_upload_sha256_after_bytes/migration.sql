-- AlterTable
ALTER TABLE "uploads" ADD COLUMN     "receivedSha256" TEXT,
ALTER COLUMN "declaredSha256" DROP NOT NULL;

