-- The price book, currency rates, costs on usage records, correction entries, roll-ups, budgets,
-- reservations (holds) and budget alerts. Money is `numeric` (exact) everywhere.

-- Prices per model, versioned: a record is costed with the version in force at its occurred_at.
CREATE TABLE model_prices (
    id                        uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    model                     text NOT NULL CHECK (length(model) BETWEEN 1 AND 100),
    effective_from            timestamptz NOT NULL,
    input_per_million         numeric NOT NULL DEFAULT 0 CHECK (input_per_million >= 0),
    -- NULL: cached prompt tokens cost the input price.
    cached_input_per_million  numeric CHECK (cached_input_per_million >= 0),
    output_per_million        numeric NOT NULL DEFAULT 0 CHECK (output_per_million >= 0),
    audio_per_minute          numeric NOT NULL DEFAULT 0 CHECK (audio_per_minute >= 0),
    created_by                uuid,
    created_at                timestamptz NOT NULL DEFAULT now(),
    UNIQUE (model, effective_from)
);

-- The seed's figures, in force since long before any record.
INSERT INTO model_prices (model, effective_from, input_per_million, output_per_million, audio_per_minute) VALUES
    ('gpt-4o', '2000-01-01T00:00:00Z', 2.50, 10.00, 0),
    ('gpt-3.5-turbo', '2000-01-01T00:00:00Z', 0.50, 1.50, 0),
    ('whisper-1', '2000-01-01T00:00:00Z', 0, 0, 0.006);

-- Units of a currency per US dollar, versioned like prices.
CREATE TABLE currency_rates (
    currency        text NOT NULL CHECK (currency ~ '^[A-Z]{3}$'),
    effective_from  timestamptz NOT NULL,
    rate            numeric NOT NULL CHECK (rate > 0),
    created_by      uuid,
    created_at      timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (currency, effective_from)
);
INSERT INTO currency_rates (currency, effective_from, rate) VALUES ('KZT', '2000-01-01T00:00:00Z', 450);

-- A record's cost as ingested; NULL cost_usd: no price for the model then (unpriced, never $0).
ALTER TABLE usage_records
    ADD COLUMN day         date,
    ADD COLUMN price_id    uuid REFERENCES model_prices (id),
    ADD COLUMN cost_usd    numeric,
    ADD COLUMN currency    text,
    ADD COLUMN rate        numeric,
    ADD COLUMN cost_local  numeric;
UPDATE usage_records SET day = (occurred_at AT TIME ZONE 'Asia/Almaty')::date;
ALTER TABLE usage_records ALTER COLUMN day SET NOT NULL,
    ADD CONSTRAINT usage_records_priced CHECK ((price_id IS NULL) = (cost_usd IS NULL));
CREATE INDEX usage_records_user ON usage_records (user_id, occurred_at) WHERE user_id IS NOT NULL;
CREATE INDEX usage_records_thread ON usage_records (thread_id, occurred_at) WHERE thread_id IS NOT NULL;
-- No index per agent or model: ingest pays for every index, and reports read the roll-ups; the
-- admin's listing filtered by agent or model walks occurred_at (newest first) instead.
CREATE INDEX usage_records_unpriced ON usage_records (model, occurred_at) WHERE cost_usd IS NULL;

-- Records are never edited: a recompute adds the difference as a correction.
CREATE TABLE usage_corrections (
    id                uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    record_id         uuid NOT NULL REFERENCES usage_records (id),
    recompute_id      uuid NOT NULL,
    price_id          uuid REFERENCES model_prices (id),
    rate              numeric,
    cost_usd_delta    numeric NOT NULL,
    cost_local_delta  numeric NOT NULL,
    reason            text NOT NULL,
    created_by        uuid,
    created_at        timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX usage_corrections_record ON usage_corrections (record_id);
CREATE INDEX usage_corrections_recompute ON usage_corrections (recompute_id);

-- Day and month totals per agent and model; '' stands for "every agent" / "every model", so one
-- row answers each grouping. Each writer adds to its own stripe (its backend's), so concurrent
-- ingests do not queue on one row; readers sum the stripes.
CREATE TABLE usage_rollups (
    period                text NOT NULL CHECK (period IN ('day', 'month')),
    period_start          date NOT NULL,
    agent                 text NOT NULL,
    model                 text NOT NULL,
    stripe                smallint NOT NULL,
    requests              bigint NOT NULL DEFAULT 0,
    unpriced_requests     bigint NOT NULL DEFAULT 0,
    prompt_tokens         bigint NOT NULL DEFAULT 0,
    cached_prompt_tokens  bigint NOT NULL DEFAULT 0,
    completion_tokens     bigint NOT NULL DEFAULT 0,
    audio_seconds         numeric NOT NULL DEFAULT 0,
    cost_usd              numeric NOT NULL DEFAULT 0,
    cost_local            numeric NOT NULL DEFAULT 0,
    unique_users          bigint NOT NULL DEFAULT 0,
    PRIMARY KEY (period, period_start, agent, model, stripe)
);

-- Who was counted in which roll-up: a user adds to unique_users once per period and grouping.
-- `bucket` is a 64-bit hash of (period, period_start, agent, model) (`ai_usage.rollup_bucket`):
-- the ingest probes this index eight times per record, and integer keys compare far faster than
-- four text columns (a collision would need two of a few hundred thousand keys to share 64 bits).
CREATE TABLE usage_rollup_users (
    bucket   bigint NOT NULL,
    user_id  uuid NOT NULL,
    PRIMARY KEY (bucket, user_id)
);

-- unpriced_usage_seen fires once per model and day.
CREATE TABLE unpriced_models_seen (
    model  text NOT NULL,
    day    date NOT NULL,
    PRIMARY KEY (model, day)
);

-- Limits in the local currency; agent NULL: every agent together.
CREATE TABLE budgets (
    id                       uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    agent                    text UNIQUE NULLS NOT DISTINCT,
    daily_limit              numeric CHECK (daily_limit > 0),
    monthly_limit            numeric CHECK (monthly_limit > 0),
    alert_threshold_percent  integer NOT NULL DEFAULT 80 CHECK (alert_threshold_percent BETWEEN 1 AND 100),
    alert_enabled            boolean NOT NULL DEFAULT true,
    alert_contacts           jsonb NOT NULL DEFAULT '[]' CHECK (jsonb_typeof(alert_contacts) = 'array'),
    created_at               timestamptz NOT NULL DEFAULT now(),
    updated_at               timestamptz NOT NULL DEFAULT now()
);
INSERT INTO budgets (agent, daily_limit, monthly_limit) VALUES (NULL, 5000, 100000);

-- One alert per budget, period and level; its webhook delivery is tracked here too.
CREATE TABLE budget_alerts (
    id                 uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    budget_id          uuid NOT NULL REFERENCES budgets (id) ON DELETE CASCADE,
    agent              text,
    period             text NOT NULL CHECK (period IN ('day', 'month')),
    period_start       date NOT NULL,
    level              text NOT NULL CHECK (level IN ('threshold', 'exceeded')),
    spend              numeric NOT NULL,
    limit_amount       numeric NOT NULL,
    threshold_percent  integer NOT NULL,
    currency           text NOT NULL,
    fired_at           timestamptz NOT NULL DEFAULT now(),
    webhook_status     text NOT NULL CHECK (webhook_status IN ('none', 'pending', 'sent', 'failed')),
    webhook_attempts   integer NOT NULL DEFAULT 0,
    webhook_next_at    timestamptz,
    webhook_error      text,
    UNIQUE (budget_id, period, period_start, level)
);
CREATE INDEX budget_alerts_fired ON budget_alerts (fired_at DESC, id DESC);
CREATE INDEX budget_alerts_webhook_due ON budget_alerts (webhook_next_at) WHERE webhook_status = 'pending';

-- Pre-flight reservations: an allowed hold counts against the budgets of its day and month until
-- the usage with its request_id arrives (consumed) or it expires.
CREATE TABLE budget_holds (
    request_id   text PRIMARY KEY CHECK (length(request_id) BETWEEN 1 AND 200),
    agent        text NOT NULL,
    amount       numeric NOT NULL CHECK (amount >= 0),
    allowed      boolean NOT NULL,
    denied_by    jsonb,
    day          date NOT NULL,
    month        date NOT NULL,
    expires_at   timestamptz NOT NULL,
    consumed_at  timestamptz,
    created_at   timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX budget_holds_active ON budget_holds (month, agent, day) WHERE allowed AND consumed_at IS NULL;
CREATE INDEX budget_holds_expired ON budget_holds (expires_at);
