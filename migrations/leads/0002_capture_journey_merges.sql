-- Lead capture with race-free dedup, the journey of each lead, and merges.
--
-- Dedup: at most one live (not merged) lead per E.164 phone and per normalised email, enforced by
-- the unique partial indexes below; capture inserts with ON CONFLICT DO NOTHING and then reads the
-- lead that won. A merged lead leaves both indexes, so its survivor may take over its contacts.

-- The first version kept three UTM columns; touches now keep every UTM parameter, referrer and
-- landing page as they were at the first and at the latest capture.
ALTER TABLE leads
    DROP COLUMN utm_source,
    DROP COLUMN utm_medium,
    DROP COLUMN utm_campaign,
    ADD COLUMN phone_e164       text CHECK (phone_e164 ~ '^\+[1-9][0-9]{1,14}$'),
    ADD COLUMN metadata         jsonb NOT NULL DEFAULT '{}'::jsonb,
    ADD COLUMN first_touch      jsonb NOT NULL DEFAULT '{}'::jsonb,
    ADD COLUMN last_touch       jsonb NOT NULL DEFAULT '{}'::jsonb,
    ADD COLUMN capture_count    integer NOT NULL DEFAULT 1 CHECK (capture_count >= 1),
    ADD COLUMN last_captured_at timestamptz NOT NULL DEFAULT now(),
    ADD COLUMN merged_into      uuid REFERENCES leads (id),
    ADD COLUMN merged_at        timestamptz,
    ADD CONSTRAINT leads_source_length CHECK (length(source) BETWEEN 1 AND 100),
    ADD CONSTRAINT leads_not_merged_into_itself CHECK (merged_into IS NULL OR merged_into <> id),
    ADD CONSTRAINT leads_merged_at_with_pointer CHECK ((merged_into IS NULL) = (merged_at IS NULL));

-- `email` holds the normalised (trimmed, lower-cased) address.
CREATE UNIQUE INDEX leads_live_phone ON leads (phone_e164) WHERE phone_e164 IS NOT NULL AND merged_into IS NULL;
CREATE UNIQUE INDEX leads_live_email ON leads (email) WHERE email IS NOT NULL AND merged_into IS NULL;

-- Staff listings: newest first, optionally by source or status (cursor = created_at, id).
DROP INDEX leads_created;
CREATE INDEX leads_live_newest ON leads (created_at DESC, id DESC) WHERE merged_into IS NULL;
CREATE INDEX leads_live_source_newest ON leads (source, created_at DESC, id DESC) WHERE merged_into IS NULL;
CREATE INDEX leads_live_status_newest ON leads (status, created_at DESC, id DESC) WHERE merged_into IS NULL;
CREATE INDEX leads_merged_into ON leads (merged_into) WHERE merged_into IS NOT NULL;

-- Append-only: rows are inserted, and only ever updated to move them to a merge survivor.
CREATE TABLE lead_journey (
    id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    lead_id     uuid NOT NULL REFERENCES leads (id),
    stage       text NOT NULL CHECK (stage ~ '^[a-z][a-z0-9_]{0,62}$'),
    source      text CHECK (length(source) <= 100),
    -- The lead's own source (its acquisition channel), copied so the funnel filters by it from
    -- the index alone; a merge sets the survivor's.
    lead_source text NOT NULL,
    metadata    jsonb NOT NULL DEFAULT '{}'::jsonb,
    occurred_at timestamptz NOT NULL DEFAULT now(),
    recorded_at timestamptz NOT NULL DEFAULT now()
);
-- A lead's journey in order (the seed's leads_with_journey).
CREATE INDEX lead_journey_by_lead ON lead_journey (lead_id, occurred_at, id);
-- The funnel: leads reaching a stage in a date range, answered from the index alone.
CREATE INDEX lead_journey_funnel ON lead_journey (stage, occurred_at) INCLUDE (lead_id, lead_source);

-- Who merged which lead into which, and what the merged lead held at the time.
CREATE TABLE lead_merges (
    id             uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    survivor_id    uuid NOT NULL REFERENCES leads (id),
    merged_id      uuid NOT NULL UNIQUE REFERENCES leads (id),
    merged_by      uuid NOT NULL,
    journey_moved  integer NOT NULL,
    merged_snapshot jsonb NOT NULL,
    merged_at      timestamptz NOT NULL DEFAULT now(),
    CHECK (survivor_id <> merged_id)
);
CREATE INDEX lead_merges_by_survivor ON lead_merges (survivor_id, merged_at);
