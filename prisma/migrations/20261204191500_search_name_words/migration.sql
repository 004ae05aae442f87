-- prisma:unmodelled after-tables
-- Search, hand-written (Prisma cannot express functions): names split into words, and
-- the variants behind spelling corrections by deletion.

-- A name as the full-text index reads it: as written, then split at punctuation and at
-- camel case ("Node.js" → "Node js", "GitHub" → "Git Hub", "my_file-v2" → "my file v2"),
-- then joined where punctuation glued words ("Node.js" → "Nodejs"). The parser alone
-- keeps "Node.js" and "Last.fm" as one host-name token, so "js" or "fm" found neither.
CREATE OR REPLACE FUNCTION stockroom_name_words(value text) RETURNS text
  LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
  SELECT concat_ws(' ', value,
                   CASE WHEN s.split <> value THEN s.split END,
                   CASE WHEN s.joined <> value THEN s.joined END)
    FROM (SELECT regexp_replace(
                   regexp_replace(regexp_replace(value, '([[:lower:][:digit:]])([[:upper:]])', '\1 \2', 'g'),
                                  '([[:upper:]])([[:upper:]][[:lower:]])', '\1 \2', 'g'),
                   '[^[:alnum:]]+', ' ', 'g') AS split,
                 regexp_replace(value, '[^[:alnum:][:space:]]+', '', 'g') AS joined) s
$$;

-- A word and the strings one letter shorter (words of 4 letters or more) or up to two
-- letters shorter (7 or more). Two words within one edit (or two) of each other — a
-- transposition counts as one — share at least one of these (the "symmetric delete"
-- method); the search then checks the real distance of each candidate.
CREATE OR REPLACE FUNCTION stockroom_word_variants(word text) RETURNS SETOF text
  LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
  WITH one AS (
    SELECT left(word, i - 1) || substr(word, i + 1) AS v
      FROM generate_series(1, length(word)) i
     WHERE length(word) >= 4
  )
  SELECT word
  UNION SELECT v FROM one
  UNION SELECT left(one.v, j - 1) || substr(one.v, j + 1)
          FROM one, generate_series(1, length(one.v)) j
         WHERE length(word) >= 7
$$;

-- Names already indexed: re-read with the split words (the other weights stay as they are).
UPDATE "search_documents"
   SET "document" = setweight(to_tsvector('stockroom_search', stockroom_name_words("name")), 'A')
                    || ts_filter("document", '{b,c,d}');

INSERT INTO "search_words" ("word")
SELECT DISTINCT w FROM "search_documents", unnest(tsvector_to_array(ts_filter("document", '{a}'))) AS w
 WHERE length(w) >= 3 AND w ~ '^[[:alnum:]]+$'
ON CONFLICT DO NOTHING;

INSERT INTO "search_word_variants" ("variant", "word")
SELECT v, s."word" FROM "search_words" s, stockroom_word_variants(s."word") v
ON CONFLICT DO NOTHING;
