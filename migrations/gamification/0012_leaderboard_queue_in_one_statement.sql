-- The award path's queue and apply, set-based. `Leaderboards.record` queued a transaction's awards
-- by calling leaderboard_add once per award (a PL/pgSQL call and two inserts each, 500 a run);
-- leaderboard_queue takes them as arrays in one statement. At commit the apply took the learners'
-- locks with one PERFORM per learner and probed learner_settings for the hidden flag once per
-- score row (eight per award); now the locks are one statement and the hidden learners are read
-- once, after the locks, as before.
CREATE FUNCTION leaderboard_queue(p_users uuid[], p_courses uuid[], p_at timestamptz[], p_amounts bigint[], p_zone text)
RETURNS void LANGUAGE sql AS $$
    INSERT INTO gamification.leaderboard_pending (user_id, course_id, occurred_at, amount, zone)
    SELECT a.user_id, nullif(a.course_id, '00000000-0000-0000-0000-000000000000'), a.occurred_at, a.amount, p_zone
    FROM unnest(p_users, p_courses, p_at, p_amounts) AS a (user_id, course_id, occurred_at, amount)
    WHERE a.amount <> 0;
    INSERT INTO gamification.leaderboard_pending_transactions
    SELECT pg_current_xact_id() WHERE EXISTS (SELECT 1 FROM unnest(p_amounts) AS a (amount) WHERE a.amount <> 0)
    ON CONFLICT DO NOTHING;
$$;

CREATE OR REPLACE FUNCTION leaderboard_add(p_user uuid, p_course uuid, p_at timestamptz, p_amount bigint, p_zone text)
RETURNS void LANGUAGE sql AS $$
    SELECT gamification.leaderboard_queue(ARRAY[p_user], ARRAY[p_course], ARRAY[p_at], ARRAY[p_amount], p_zone)
$$;

CREATE OR REPLACE FUNCTION leaderboard_apply_pending() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    v_users uuid[];
    v_hidden uuid[];
BEGIN
    SELECT array_agg(DISTINCT p.user_id ORDER BY p.user_id) INTO v_users
    FROM gamification.leaderboard_pending p WHERE p.txid = pg_current_xact_id();
    IF v_users IS NULL THEN
        RETURN NULL;
    END IF;
    -- In user order: a function scan yields an array's elements in order.
    PERFORM gamification.leaderboard_lock(u.user_id) FROM unnest(v_users) AS u (user_id);
    SELECT coalesce(array_agg(s.user_id), '{}') INTO v_hidden
    FROM gamification.learner_settings s
    WHERE s.user_id = ANY (v_users) AND s.leaderboard_visibility = 'hidden';
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
        SELECT d.user_id, d.period, d.period_start, d.course_id, d.amount, d.user_id <> ALL (v_hidden)
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
