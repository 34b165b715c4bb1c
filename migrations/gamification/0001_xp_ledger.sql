-- The XP ledger: append-only, one row per award; an event awards at most once per currency.

CREATE TABLE xp_ledger (
    id               uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    user_id          uuid NOT NULL,
    currency         text NOT NULL CHECK (currency IN ('xp', 'reputation')),
    amount           integer NOT NULL,
    reason           text NOT NULL CHECK (length(reason) BETWEEN 1 AND 500),
    rule             text,
    source_event_id  uuid,
    created_at       timestamptz NOT NULL DEFAULT now(),
    UNIQUE (source_event_id, currency)
);
CREATE INDEX xp_ledger_user ON xp_ledger (user_id, created_at);

CREATE FUNCTION xp_ledger_is_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'xp_ledger is append-only: add a correcting entry instead';
END
$$;
CREATE TRIGGER xp_ledger_append_only BEFORE UPDATE OR DELETE ON xp_ledger
    FOR EACH ROW EXECUTE FUNCTION xp_ledger_is_append_only();

-- Per-learner totals, maintained in the same transaction as each ledger row.
CREATE TABLE user_xp (
    user_id     uuid PRIMARY KEY,
    total_xp    bigint NOT NULL DEFAULT 0,
    reputation  bigint NOT NULL DEFAULT 0,
    level       integer NOT NULL DEFAULT 1,
    updated_at  timestamptz NOT NULL DEFAULT now()
);
