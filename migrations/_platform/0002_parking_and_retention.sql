-- Parking and retention.
--
-- A handler that keeps failing parks its event after the configured number of attempts: the
-- envelope is kept here, the stream moves on, and `lyceum bus retry` asks the consumer to try
-- the parked event again.
ALTER TABLE inbox_failures
    ADD COLUMN envelope text,
    ADD COLUMN parked_at timestamptz,
    ADD COLUMN retry_requested_at timestamptz;
CREATE INDEX inbox_failures_parked ON inbox_failures (source, sequence)
    WHERE parked_at IS NOT NULL AND resolved_at IS NULL;

-- The retention job deletes published outbox rows older than the window from the front of the
-- stream; `pruned_through` is the last deleted sequence, so a replay request from before it is
-- refused instead of silently skipping events.
ALTER TABLE outbox_stream ADD COLUMN pruned_through bigint NOT NULL DEFAULT 0;

-- Inbox rows only guard parked retries against double application once the cursor has passed
-- them, so they are pruned on the same window.
CREATE INDEX inbox_processed_at ON inbox (processed_at);
