-- Every transaction that sends a NOTIFY takes one database-wide lock to commit, so a NOTIFY per
-- outbox insert serialised the commits of every writer (lesson completions stalled near 600/s on
-- two cores, waiting on "Lock: object"). The relay now records whether it is waiting: an insert
-- notifies only then. While it is busy the relay polls on its own every few milliseconds.
ALTER TABLE outbox_stream ADD COLUMN relay_waiting boolean NOT NULL DEFAULT true;

CREATE OR REPLACE FUNCTION outbox_notify() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    waiting boolean;
BEGIN
    EXECUTE format('SELECT relay_waiting FROM %I.outbox_stream', TG_TABLE_SCHEMA) INTO waiting;
    IF waiting IS NOT FALSE THEN
        PERFORM pg_notify(TG_TABLE_SCHEMA || '_outbox', '');
    END IF;
    RETURN NULL;
END
$$;
