-- DropTable
DROP TABLE "housekeeping_runs";

