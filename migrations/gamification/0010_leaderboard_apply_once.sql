-- The deferred trigger that applies a transaction's queued awards fired once per queued row: the
-- first firing applied them all, and each of the others (up to 4,000 in a run of 500 events)
-- looked for what was left through the index of rows its own transaction had just deleted. A
-- transaction now queues one marker row as well, and the trigger hangs on that: one firing per
-- transaction. A second deferred trigger, named to fire after it, removes the marker, so should
-- anything fire them early (SET CONSTRAINTS … IMMEDIATE), the next award queues a new one.
CREATE TABLE leaderboard_pending_transactions (
    txid  xid8 PRIMARY KEY DEFAULT pg_current_xact_id()
);

DROP TRIGGER leaderboard_apply ON leaderboard_pending;
CREATE CONSTRAINT TRIGGER leaderboard_apply AFTER INSERT ON leaderboard_pending_transactions
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION leaderboard_apply_pending();

CREATE FUNCTION leaderboard_pending_done() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM gamification.leaderboard_pending_transactions WHERE txid = NEW.txid;
    RETURN NULL;
END
$$;
CREATE CONSTRAINT TRIGGER leaderboard_apply_x_done AFTER INSERT ON leaderboard_pending_transactions
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION leaderboard_pending_done();

CREATE OR REPLACE FUNCTION leaderboard_add(p_user uuid, p_course uuid, p_at timestamptz, p_amount bigint, p_zone text)
RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    IF p_amount <> 0 THEN
        INSERT INTO gamification.leaderboard_pending (user_id, course_id, occurred_at, amount, zone)
        VALUES (p_user, nullif(p_course, '00000000-0000-0000-0000-000000000000'), p_at, p_amount, p_zone);
        INSERT INTO gamification.leaderboard_pending_transactions DEFAULT VALUES ON CONFLICT DO NOTHING;
    END IF;
END
$$;
