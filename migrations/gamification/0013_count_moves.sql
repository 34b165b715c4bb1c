-- Two counts every award path added to in place: how many learners hold each score on a board
-- (leaderboard_score_counts) and how many hold each achievement (achievements.holders). Two
-- transactions applying different learners at once — the consumer's two parts of a run, an
-- HTTP award — met on the same count rows (today's board at 50 XP; every badge), and the second
-- waited for the first to commit: the parts took turns for the rest of their runs. Now such a
-- transaction appends its moves to a table without a key, where nothing waits; readers add the
-- moves not yet folded to the counts; and `fold_moves`, run every second by one replica, folds
-- them in. Hiding or showing a learner still changes the counts in place (rare, and in key order).
CREATE TABLE leaderboard_count_moves (
    period        text NOT NULL,
    period_start  date NOT NULL,
    course_id     uuid NOT NULL,
    xp            bigint NOT NULL,
    learners      integer NOT NULL
);
CREATE INDEX leaderboard_count_moves_board ON leaderboard_count_moves (period, period_start, course_id);

CREATE TABLE achievement_holder_moves (
    achievement_id  uuid NOT NULL,
    holders         integer NOT NULL
);
CREATE INDEX achievement_holder_moves_achievement ON achievement_holder_moves (achievement_id);

-- Up to `p_limit` score-count moves and every holder move into the counts, in key order (as the
-- visibility trigger takes them); the score-count moves folded. Holder moves go in whole, so an
-- achievement's count never passes through a revocation folded before its unlock. A move another
-- fold deleted first is skipped by this one's DELETE: nothing is counted twice.
CREATE FUNCTION fold_moves(p_limit integer) RETURNS integer LANGUAGE plpgsql AS $$
DECLARE
    v_folded integer;
BEGIN
    WITH moved AS (
        DELETE FROM gamification.leaderboard_count_moves m
        WHERE m.ctid = ANY (ARRAY(SELECT ctid FROM gamification.leaderboard_count_moves LIMIT p_limit))
        RETURNING m.period, m.period_start, m.course_id, m.xp, m.learners
    ), folded AS (
        INSERT INTO gamification.leaderboard_score_counts AS c (period, period_start, course_id, xp, learners)
        SELECT m.period, m.period_start, m.course_id, m.xp, sum(m.learners)::integer FROM moved m
        GROUP BY m.period, m.period_start, m.course_id, m.xp
        HAVING sum(m.learners) <> 0
        ORDER BY m.period, m.period_start, m.course_id, m.xp
        ON CONFLICT (period, period_start, course_id, xp) DO UPDATE SET learners = c.learners + excluded.learners
    )
    SELECT count(*) INTO v_folded FROM moved;
    WITH moved AS (
        DELETE FROM gamification.achievement_holder_moves m RETURNING m.achievement_id, m.holders
    ), summed AS (
        SELECT m.achievement_id, sum(m.holders)::integer AS holders FROM moved m GROUP BY m.achievement_id
    ), locked AS MATERIALIZED (
        SELECT a.id FROM gamification.achievements a WHERE a.id IN (SELECT achievement_id FROM summed) ORDER BY a.id FOR NO KEY UPDATE
    )
    UPDATE gamification.achievements a SET holders = a.holders + s.holders
    FROM locked l JOIN summed s ON s.achievement_id = l.id
    WHERE a.id = l.id AND s.holders <> 0;
    RETURN v_folded;
END
$$;

-- The awards' apply at commit, as in 0012 but for its last statement: the score counts' moves are appended.
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
    INSERT INTO gamification.leaderboard_count_moves (period, period_start, course_id, xp, learners)
    SELECT m.period, m.period_start, m.course_id, m.xp, sum(m.delta)::integer FROM moves m
    GROUP BY m.period, m.period_start, m.course_id, m.xp
    HAVING sum(m.delta) <> 0;
    RETURN NULL;
END
$$;
