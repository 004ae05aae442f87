-- prisma:unmodelled
-- Search (hand-written: Prisma cannot express extensions, functions or text search
-- configurations, and does not compare them, so they never show up as drift).

CREATE EXTENSION IF NOT EXISTS pg_trgm;
CREATE EXTENSION IF NOT EXISTS unaccent;

-- unaccent() is only STABLE (its dictionary could change); naming the dictionary makes
-- the result depend on the argument alone, so it may be used in indexes and generated values.
CREATE OR REPLACE FUNCTION stockroom_unaccent(value text) RETURNS text
  LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
  RETURN public.unaccent('public.unaccent'::regdictionary, value);

-- Full-text configuration for every language: no stemming (names and brands must
-- match as written), accents folded so "cafe" finds "Café" and the other way round.
DO $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_ts_config WHERE cfgname = 'stockroom_search') THEN
    CREATE TEXT SEARCH CONFIGURATION stockroom_search (COPY = pg_catalog.simple);
    ALTER TEXT SEARCH CONFIGURATION stockroom_search
      ALTER MAPPING FOR hword, hword_part, word WITH public.unaccent, pg_catalog.simple;
  END IF;
END
$$;
