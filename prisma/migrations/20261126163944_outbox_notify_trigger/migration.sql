-- prisma:unmodelled after-tables
-- Every outbox row NOTIFYs the server processes of its id (channel `stockroom_events`,
-- EVENTS_CHANNEL in the bridge server) when its transaction commits. A trigger
-- instead of a `SELECT pg_notify` from the application saves a database round trip
-- per event inside every writing transaction. Hand-written: Prisma does not model
-- functions or triggers, so they never show up as drift.

CREATE OR REPLACE FUNCTION stockroom_notify_outbox() RETURNS trigger
  LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('stockroom_events', NEW.id::text);
  RETURN NULL;
END;
$$;

CREATE TRIGGER outbox_events_notify
  AFTER INSERT ON outbox_events
  FOR EACH ROW EXECUTE FUNCTION stockroom_notify_outbox();
