-- CreateTable
CREATE TABLE "housekeeping_runs" (
    "task" TEXT NOT NULL,
    "lastRunAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "housekeeping_runs_pkey" PRIMARY KEY ("task")
);

