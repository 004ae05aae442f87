-- CreateTable
CREATE TABLE "client_sessions" (
    "id" TEXT NOT NULL,
    "processId" TEXT NOT NULL,
    "userId" UUID NOT NULL,
    "app" TEXT NOT NULL,
    "appVersion" TEXT NOT NULL DEFAULT '',
    "pluginVersion" TEXT NOT NULL DEFAULT '',
    "machine" TEXT,
    "address" TEXT,
    "connectedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "lastSeenAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "client_sessions_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "client_sessions_lastSeenAt_idx" ON "client_sessions"("lastSeenAt");

-- CreateIndex
CREATE INDEX "client_sessions_processId_idx" ON "client_sessions"("processId");

