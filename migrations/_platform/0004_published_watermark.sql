-- The relay marked every row it sent with `published_at`: a second non-HOT update per event
-- (new entries in all five outbox indexes) after the numbering, about a tenth of a lesson
-- completion's database time. Rows are published in sequence order, so one watermark per stream
-- says the same: every row up to `published_through` is on the bus. Retention now ages rows by
-- `sequenced_at` (numbered, then sent within milliseconds) below the watermark.
ALTER TABLE outbox_stream ADD COLUMN published_through bigint NOT NULL DEFAULT 0;
UPDATE outbox_stream SET published_through = coalesce(
    (SELECT min(sequence) - 1 FROM outbox WHERE sequence IS NOT NULL AND published_at IS NULL), last_sequence);
DROP INDEX outbox_unpublished;
ALTER TABLE outbox DROP COLUMN published_at;
