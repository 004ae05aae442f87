-- CreateIndex
CREATE INDEX "search_documents_kind_orientation_idx" ON "search_documents"("kind", "orientation");

