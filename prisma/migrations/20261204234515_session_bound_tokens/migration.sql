-- AlterTable
ALTER TABLE "api_tokens" ADD COLUMN     "sessionBound" BOOLEAN NOT NULL DEFAULT false;

