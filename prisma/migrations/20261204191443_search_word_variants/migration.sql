-- CreateTable
CREATE TABLE "search_word_variants" (
    "variant" TEXT NOT NULL,
    "word" TEXT NOT NULL,

    CONSTRAINT "search_word_variants_pkey" PRIMARY KEY ("variant","word")
);

