-- prisma:unmodelled after-tables
-- The outbox notification carries the event's name after its id ("<id>:<event>"), so a
-- listener that cares about some events only (the search indexer ignores derivative and job
-- events, two per thumbnailed image) need not read the outbox to find out. Listeners read
-- the id as the digits before the first ':' and take a bare id (the older payload) too.

CREATE OR REPLACE FUNCTION stockroom_notify_outbox() RETURNS trigger
  LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('stockroom_events', NEW.id::text || ':' || NEW.event);
  RETURN NULL;
END;
$$;
