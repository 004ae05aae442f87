-- DropIndex
DROP INDEX "search_documents_nameKey_trgm_idx";

-- CreateTable
CREATE TABLE "search_words" (
    "word" TEXT NOT NULL,

    CONSTRAINT "search_words_pkey" PRIMARY KEY ("word")
);

-- CreateIndex
CREATE INDEX "search_words_word_trgm_idx" ON "search_words" USING GIN ("word" gin_trgm_ops);


-- Words of the names already indexed (sync and reindex add them from now on).
INSERT INTO "search_words" ("word")
SELECT DISTINCT w FROM "search_documents", unnest(tsvector_to_array(ts_filter("document", '{a}'))) AS w
WHERE length(w) >= 3
ON CONFLICT DO NOTHING;
