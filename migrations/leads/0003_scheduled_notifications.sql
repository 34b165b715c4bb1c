-- Scheduled notifications (the seed's scheduled_notifications): email, sms or whatsapp messages to
-- a lead, rendered from a built-in template at send time and sent by the dispatcher.
--
-- Life of a row: pending → sending (claimed with FOR UPDATE SKIP LOCKED, with a lease) → sent, or
-- back to pending with next_attempt_at pushed out (exponential backoff), or failed once
-- max_attempts is spent or the provider refused for good. Only pending rows may be cancelled.
-- A sending row whose lease expired (its process died mid-send) returns to pending.
CREATE TABLE scheduled_notifications (
    id                  uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    lead_id             uuid NOT NULL REFERENCES leads (id),
    channel             text NOT NULL CHECK (channel IN ('email', 'sms', 'whatsapp')),
    template            text NOT NULL CHECK (template ~ '^[a-z][a-z0-9_]{0,62}$'),
    variables           jsonb NOT NULL DEFAULT '{}'::jsonb,
    scheduled_at        timestamptz NOT NULL DEFAULT now(),
    status              text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'sending', 'sent', 'failed', 'cancelled')),
    attempts            integer NOT NULL DEFAULT 0 CHECK (attempts >= 0),
    max_attempts        integer NOT NULL DEFAULT 5 CHECK (max_attempts BETWEEN 1 AND 20),
    next_attempt_at     timestamptz NOT NULL DEFAULT now(),
    lease_expires_at    timestamptz,
    last_error          text,
    -- Sent to the provider with every attempt (the same across retries), so a provider that saw an
    -- attempt whose answer was lost does not send twice. A repeat of a create with the same key
    -- returns the existing row.
    idempotency_key     text NOT NULL UNIQUE DEFAULT gen_random_uuid()::text CHECK (length(idempotency_key) BETWEEN 1 AND 200),
    sent_at             timestamptz,
    provider_message_id text,
    -- The key of the tracked link /v1/t/{tracking_token} in the message.
    tracking_token      text NOT NULL UNIQUE DEFAULT replace(gen_random_uuid()::text, '-', ''),
    email_clicked_at    timestamptz,
    sms_clicked_at      timestamptz,
    click_count         integer NOT NULL DEFAULT 0 CHECK (click_count >= 0),
    created_by          uuid,
    created_at          timestamptz NOT NULL DEFAULT now(),
    cancelled_at        timestamptz,
    CHECK ((status = 'sending') = (lease_expires_at IS NOT NULL))
);
-- The dispatcher's due query: pending rows by next attempt time.
CREATE INDEX scheduled_notifications_due ON scheduled_notifications (next_attempt_at) WHERE status = 'pending';
-- Expired leases.
CREATE INDEX scheduled_notifications_leased ON scheduled_notifications (lease_expires_at) WHERE status = 'sending';
-- A lead's notifications in schedule order.
CREATE INDEX scheduled_notifications_by_lead ON scheduled_notifications (lead_id, scheduled_at, id);
