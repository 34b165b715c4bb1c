-- Each lead's state in the external CRM (AmoCRM-style). Triggers mark a lead for sync in the
-- transaction that changes it, so no write path (capture, repeat capture, journey entry, merge)
-- can forget to; many changes before the next push collapse into one.
--
-- status: pending (due at next_attempt_at) → syncing (claimed with a lease) → synced, or back to
-- pending with a backoff, or failed once the attempts are used up; merged: the lead was merged
-- into another, whose record now carries its external ids.
CREATE TABLE crm_sync (
    lead_id             uuid PRIMARY KEY REFERENCES leads (id),
    status              text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'syncing', 'synced', 'failed', 'merged')),
    -- Bumped by every change; a push records the version it sent, so a change that lands during
    -- a push makes the lead pending again instead of being lost.
    version             bigint NOT NULL DEFAULT 1,
    synced_version      bigint NOT NULL DEFAULT 0,
    external_lead_id    text CHECK (length(external_lead_id) <= 100),
    external_contact_id text CHECK (length(external_contact_id) <= 100),
    -- Attempts since the last success or re-queue.
    attempts            integer NOT NULL DEFAULT 0,
    next_attempt_at     timestamptz NOT NULL DEFAULT now(),
    lease_expires_at    timestamptz,
    last_error          text,
    last_synced_at      timestamptz,
    changed_at          timestamptz NOT NULL DEFAULT now()
);
-- The sync job's claim: due pending rows, oldest first.
CREATE INDEX crm_sync_due ON crm_sync (next_attempt_at) WHERE status = 'pending';
-- Lease recovery and the staff listing by status, newest change first.
CREATE INDEX crm_sync_by_status ON crm_sync (status, changed_at DESC, lead_id DESC);

-- Marks a lead for sync: a new row, or the next version of an existing one. A row being pushed
-- stays `syncing` (the push sees the newer version when it records its outcome); a pending row
-- keeps its backoff; synced and failed rows are due again at once with fresh attempts.
CREATE FUNCTION crm_mark_changed(lead uuid) RETURNS void LANGUAGE sql AS $$
    INSERT INTO leads.crm_sync AS s (lead_id) VALUES (lead)
    ON CONFLICT (lead_id) DO UPDATE SET
        version = s.version + 1,
        changed_at = now(),
        status = CASE WHEN s.status IN ('syncing', 'pending') THEN s.status ELSE 'pending' END,
        attempts = CASE WHEN s.status IN ('syncing', 'pending') THEN s.attempts ELSE 0 END,
        next_attempt_at = CASE WHEN s.status IN ('syncing', 'pending') THEN s.next_attempt_at ELSE now() END,
        last_error = CASE WHEN s.status = 'failed' THEN NULL ELSE s.last_error END
$$;

CREATE FUNCTION crm_lead_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'UPDATE' AND NEW.merged_into IS NOT NULL AND OLD.merged_into IS NULL THEN
        -- Merged away: the survivor takes the external record when it has none of its own.
        UPDATE leads.crm_sync s SET external_lead_id = m.external_lead_id, external_contact_id = m.external_contact_id
        FROM leads.crm_sync m
        WHERE s.lead_id = NEW.merged_into AND m.lead_id = NEW.id AND s.external_lead_id IS NULL AND m.external_lead_id IS NOT NULL;
        UPDATE leads.crm_sync SET status = 'merged', lease_expires_at = NULL, changed_at = now() WHERE lead_id = NEW.id;
    END IF;
    PERFORM leads.crm_mark_changed(COALESCE(NEW.merged_into, NEW.id));
    RETURN NULL;
END
$$;

CREATE TRIGGER crm_lead_inserted AFTER INSERT ON leads FOR EACH ROW EXECUTE FUNCTION crm_lead_changed();
CREATE TRIGGER crm_lead_updated AFTER UPDATE OF name, email, phone_e164, status, source, last_touch, merged_into ON leads
    FOR EACH ROW WHEN (OLD.name IS DISTINCT FROM NEW.name OR OLD.email IS DISTINCT FROM NEW.email
                       OR OLD.phone_e164 IS DISTINCT FROM NEW.phone_e164 OR OLD.status IS DISTINCT FROM NEW.status
                       OR OLD.source IS DISTINCT FROM NEW.source OR OLD.last_touch IS DISTINCT FROM NEW.last_touch
                       OR OLD.merged_into IS DISTINCT FROM NEW.merged_into)
    EXECUTE FUNCTION crm_lead_changed();

-- A journey entry changes the lead's stage in the CRM.
CREATE FUNCTION crm_journey_added() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM leads.crm_mark_changed(NEW.lead_id);
    RETURN NULL;
END
$$;
CREATE TRIGGER crm_journey_inserted AFTER INSERT ON lead_journey FOR EACH ROW EXECUTE FUNCTION crm_journey_added();

-- Leads captured before this migration are queued once.
INSERT INTO crm_sync (lead_id) SELECT id FROM leads WHERE merged_into IS NULL;

-- The staff listing of every state, most recently changed first.
CREATE INDEX crm_sync_changed ON crm_sync (changed_at DESC, lead_id DESC);
