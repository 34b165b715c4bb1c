-- The deferred trigger that applies a transaction's queued awards fired once per queued row: the
-- first firing applied them all, and each of the others (up to 4,000 in a run of 500 events)
-- looked for what was left through the index of rows its own transaction had just deleted. A
-- transaction now queues one marker row as well, and the trigger hangs on that: one firing per
-- transaction. Should anything fire the trigger early (SET CONSTRAINTS … IMMEDIATE), the marker
-- is gone with it, and the next award queues a new one for commit.
CREATE TABLE leaderboard_pending_transactions (
    txid  xid8 PRIMARY KEY DEFAULT pg_current_xact_id()
);

DROP TRIGGER leaderboard_apply ON leaderboard_pending;
CREATE CONSTRAINT TRIGGER leaderboard_apply AFTER INSERT ON leaderboard_pending_transactions
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION leaderboard_apply_pending();

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

CREATE OR REPLACE FUNCTION leaderboard_apply_pending() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    v_users uuid[];
    v_user uuid;
BEGIN
    DELETE FROM gamification.leaderboard_pending_transactions WHERE txid = pg_current_xact_id();
    SELECT array_agg(DISTINCT p.user_id ORDER BY p.user_id) INTO v_users
    FROM gamification.leaderboard_pending p WHERE p.txid = pg_current_xact_id();
    IF v_users IS NULL THEN
        RETURN NULL;
    END IF;
    FOREACH v_user IN ARRAY v_users LOOP
        PERFORM gamification.leaderboard_lock(v_user);
    END LOOP;
    WITH pending AS (
        DELETE FROM gamification.leaderboard_pending p WHERE p.txid = pg_current_xact_id()
        RETURNING p.user_id, p.course_id, p.occurred_at, p.amount, p.zone
    ), deltas AS (
        SELECT pe.user_id, pr.period, pr.period_start, scope.course_id, sum(pe.amount)::bigint AS amount
        FROM pending pe
        CROSS JOIN LATERAL gamification.leaderboard_periods(pe.occurred_at, pe.zone) pr
        CROSS JOIN LATERAL (VALUES ('00000000-0000-0000-0000-000000000000'::uuid), (pe.course_id)) AS scope (course_id)
        WHERE scope.course_id IS NOT NULL
        GROUP BY pe.user_id, pr.period, pr.period_start, scope.course_id
    ), scores AS (
        INSERT INTO gamification.leaderboard_scores AS t (user_id, period, period_start, course_id, xp, ranked)
        SELECT d.user_id, d.period, d.period_start, d.course_id, d.amount,
               NOT EXISTS (SELECT 1 FROM gamification.learner_settings s
                           WHERE s.user_id = d.user_id AND s.leaderboard_visibility = 'hidden')
        FROM deltas d
        ORDER BY d.user_id, d.period, d.period_start, d.course_id
        ON CONFLICT (user_id, period, period_start, course_id) DO UPDATE SET xp = t.xp + excluded.xp
        RETURNING t.user_id, t.period, t.period_start, t.course_id, t.xp, t.ranked, (t.xmax = 0) AS inserted
    ), moves AS (
        SELECT s.period, s.period_start, s.course_id, s.xp, 1 AS delta FROM scores s WHERE s.ranked
        UNION ALL
        SELECT s.period, s.period_start, s.course_id, s.xp - d.amount, -1
        FROM scores s JOIN deltas d USING (user_id, period, period_start, course_id)
        WHERE s.ranked AND NOT s.inserted
    )
    INSERT INTO gamification.leaderboard_score_counts AS c (period, period_start, course_id, xp, learners)
    SELECT m.period, m.period_start, m.course_id, m.xp, sum(m.delta)::integer FROM moves m
    GROUP BY m.period, m.period_start, m.course_id, m.xp
    HAVING sum(m.delta) <> 0
    ORDER BY m.period, m.period_start, m.course_id, m.xp
    ON CONFLICT (period, period_start, course_id, xp) DO UPDATE SET learners = c.learners + excluded.learners;
    RETURN NULL;
END
$$;
