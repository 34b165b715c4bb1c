-- A capture in one round trip and one transaction of its own (as learning's lesson completion), instead
-- of BEGIN, two statements and COMMIT: the new lead with its lead_captured event, or the repeat
-- capture of the live lead holding the phone (else the email).
--
-- The caller made the new lead's id and time and encoded the event from them and the capture's
-- own fields (a new lead holds exactly what was captured); the event is written only when this
-- call created the lead. Each statement of a PL/pgSQL function takes a new snapshot, so after an
-- INSERT that a concurrent capture's committed row refused, the UPDATE finds that row. No row
-- back means the lead holding the contact was merged away meanwhile: the caller tries again.
CREATE FUNCTION capture_lead(
    p_id uuid, p_now timestamptz, p_name text, p_email text, p_phone text, p_phone_e164 text, p_source text,
    p_metadata jsonb, p_touch jsonb,
    p_event_id uuid, p_type text, p_version integer, p_subject text, p_correlation uuid, p_payload jsonb,
    OUT created boolean, OUT id uuid, OUT created_at timestamptz)
LANGUAGE plpgsql AS $$
#variable_conflict use_column
BEGIN
    INSERT INTO leads.leads (id, name, email, phone, phone_e164, source, metadata, first_touch, last_touch,
                             created_at, updated_at, last_captured_at)
    VALUES (p_id, p_name, p_email, p_phone, p_phone_e164, p_source, p_metadata, p_touch, p_touch, p_now, p_now, p_now)
    ON CONFLICT DO NOTHING;
    IF FOUND THEN
        INSERT INTO leads.outbox (event_id, type, version, subject, correlation_id, causation_id, actor, occurred_at, payload)
        VALUES (p_event_id, p_type, p_version, p_subject, p_correlation, NULL, NULL, p_now, p_payload);
        created := true;
        id := p_id;
        created_at := p_now;
        RETURN;
    END IF;

    -- The live lead holding the phone (else the email), locked, takes this capture as its last
    -- touch and any contact it lacks, unless another live lead already holds that contact (then
    -- a merge by staff is the way to join them).
    WITH target AS (
        SELECT l.id AS target_id FROM leads.leads l
        WHERE l.merged_into IS NULL AND (l.phone_e164 = p_phone_e164 OR l.email = p_email)
        ORDER BY (l.phone_e164 IS NOT DISTINCT FROM p_phone_e164) DESC, l.created_at, l.id
        LIMIT 1 FOR UPDATE
    ), free AS (
        SELECT p_phone_e164 IS NOT NULL AND NOT EXISTS (
                   SELECT 1 FROM leads.leads o WHERE o.phone_e164 = p_phone_e164 AND o.merged_into IS NULL) AS phone_free,
               p_email IS NOT NULL AND NOT EXISTS (
                   SELECT 1 FROM leads.leads o WHERE o.email = p_email AND o.merged_into IS NULL) AS email_free
    )
    UPDATE leads.leads l SET
        last_touch = p_touch, last_captured_at = now(), capture_count = l.capture_count + 1, updated_at = now(),
        name = COALESCE(l.name, p_name),
        metadata = l.metadata || p_metadata,
        phone = CASE WHEN l.phone_e164 IS NULL AND phone_free THEN p_phone ELSE l.phone END,
        phone_e164 = CASE WHEN l.phone_e164 IS NULL AND phone_free THEN p_phone_e164 ELSE l.phone_e164 END,
        email = CASE WHEN l.email IS NULL AND email_free THEN p_email ELSE l.email END
    FROM target, free
    WHERE l.id = target_id
    RETURNING false, l.id, l.created_at INTO created, id, created_at;
END
$$;
