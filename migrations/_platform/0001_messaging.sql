-- Outbox, inbox and stream cursors: applied into every service's schema (search_path is set to
-- it), so each service owns its own copy and never reads another's.

-- Events this service publishes. `position` orders rows for the relay only; `sequence` is the
-- per-source stream order, assigned by the single relay to committed rows.
CREATE TABLE outbox (
    position        bigserial PRIMARY KEY,
    event_id        uuid NOT NULL UNIQUE,
    type            text NOT NULL,
    version         integer NOT NULL,
    subject         text NOT NULL,
    correlation_id  uuid NOT NULL,
    causation_id    uuid,
    actor           text,
    occurred_at     timestamptz NOT NULL,
    payload         jsonb NOT NULL,
    sequence        bigint UNIQUE,
    sequenced_at    timestamptz,
    published_at    timestamptz,
    created_at      timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX outbox_unsequenced ON outbox (position) WHERE sequence IS NULL;
CREATE INDEX outbox_unpublished ON outbox (sequence) WHERE sequence IS NOT NULL AND published_at IS NULL;

-- The stream counter: one row, advanced only by the relay.
CREATE TABLE outbox_stream (
    singleton      boolean PRIMARY KEY DEFAULT true CHECK (singleton),
    last_sequence  bigint NOT NULL DEFAULT 0,
    updated_at     timestamptz NOT NULL DEFAULT now()
);
INSERT INTO outbox_stream DEFAULT VALUES;

-- Wake the relay on commit of any outbox insert.
CREATE FUNCTION outbox_notify() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify(TG_TABLE_SCHEMA || '_outbox', '');
    RETURN NULL;
END
$$;
CREATE TRIGGER outbox_notify AFTER INSERT ON outbox FOR EACH STATEMENT EXECUTE FUNCTION outbox_notify();

-- Events this service has applied, one row per (source, event id): the dedupe key.
CREATE TABLE inbox (
    source        text NOT NULL,
    event_id      uuid NOT NULL,
    sequence      bigint NOT NULL,
    type          text NOT NULL,
    processed_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (source, event_id)
);

-- How far this service has applied each source's stream.
CREATE TABLE inbox_cursors (
    source         text PRIMARY KEY,
    last_sequence  bigint NOT NULL DEFAULT 0,
    updated_at     timestamptz NOT NULL DEFAULT now()
);

-- Handler failures: retried with backoff, never acknowledged silently.
CREATE TABLE inbox_failures (
    source           text NOT NULL,
    event_id         uuid NOT NULL,
    sequence         bigint NOT NULL,
    type             text NOT NULL,
    attempts         integer NOT NULL DEFAULT 1,
    last_error       text NOT NULL,
    first_failed_at  timestamptz NOT NULL DEFAULT now(),
    last_failed_at   timestamptz NOT NULL DEFAULT now(),
    resolved_at      timestamptz,
    PRIMARY KEY (source, event_id)
);
