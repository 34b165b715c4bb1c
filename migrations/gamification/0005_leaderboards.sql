-- Period leaderboards (daily, weekly from Monday, monthly, all-time; global and per course), kept
-- as aggregates in the same transaction as each XP award, never computed from ledger scans.
--
-- A board is (period, period_start, course_id): period_start is the first local day of the period
-- in the platform timezone (1970-01-01 for all-time); course_id is the nil UUID for the global board.

-- One learner's XP on one board. `ranked` is false while the learner is hidden: hidden learners
-- keep scoring (switching back restores them) but are neither listed nor counted.
CREATE TABLE leaderboard_scores (
    user_id       uuid NOT NULL,
    period        text NOT NULL CHECK (period IN ('daily', 'weekly', 'monthly', 'all_time')),
    period_start  date NOT NULL,
    course_id     uuid NOT NULL,
    xp            bigint NOT NULL,
    ranked        boolean NOT NULL,
    PRIMARY KEY (user_id, period, period_start, course_id)
);
-- Top N and the window around a learner: a short range of this index.
CREATE INDEX leaderboard_scores_order ON leaderboard_scores (period, period_start, course_id, xp DESC, user_id) WHERE ranked;

-- How many ranked learners have exactly `xp` on a board: a rank is 1 + the learners with more XP,
-- a sum over (at most) the board's distinct scores instead of a count over its learners. Rows
-- that fall to 0 stay (harmless to every sum; deleting them would race with concurrent upserts).
CREATE TABLE leaderboard_score_counts (
    period        text NOT NULL,
    period_start  date NOT NULL,
    course_id     uuid NOT NULL,
    xp            bigint NOT NULL,
    -- No CHECK (learners >= 0): PostgreSQL checks the proposed row of an upsert, and a decrement
    -- is proposed as a negative row that always meets an existing one.
    learners      integer NOT NULL,
    PRIMARY KEY (period, period_start, course_id, xp)
) WITH (fillfactor = 70);

-- Every change to one learner's boards (awards being applied, a visibility change) holds this
-- transaction lock first, so an award never reads a visibility that is being changed and vice versa.
CREATE FUNCTION leaderboard_lock(p_user uuid) RETURNS void LANGUAGE sql AS $$
    SELECT pg_advisory_xact_lock(1279414081, hashtext(p_user::text))
$$;

-- The periods an instant counts in, in `p_zone` (ISO weeks: Monday first).
CREATE FUNCTION leaderboard_periods(p_at timestamptz, p_zone text)
RETURNS TABLE (period text, period_start date) LANGUAGE sql STABLE AS $$
    SELECT p.period, p.period_start FROM (VALUES
        ('daily',    (p_at AT TIME ZONE p_zone)::date),
        ('weekly',   date_trunc('week',  p_at AT TIME ZONE p_zone)::date),
        ('monthly',  date_trunc('month', p_at AT TIME ZONE p_zone)::date),
        ('all_time', date '1970-01-01')) AS p (period, period_start)
$$;

-- Awards recorded by a transaction that has not committed yet. A transaction may record several
-- (the consumer applies events in batches): applying each as it comes would lock score counts in
-- a different order in different transactions, and two such transactions deadlock. So awards are
-- queued here and applied together when the transaction commits (a deferred trigger): the
-- learners' locks in user order, then the scores, then the counts in key order, all at the very
-- end, when the transaction waits for nothing else. Rows never outlive their transaction.
CREATE TABLE leaderboard_pending (
    txid         xid8 NOT NULL DEFAULT pg_current_xact_id(),
    user_id      uuid NOT NULL,
    course_id    uuid,
    occurred_at  timestamptz NOT NULL,
    amount       bigint NOT NULL,
    zone         text NOT NULL
);
CREATE INDEX leaderboard_pending_txid ON leaderboard_pending (txid);

-- Records `p_amount` XP (negative: a correction) earned at `p_at` for the learner's global boards
-- and, with a course, that course's boards; it reaches the boards when the transaction commits.
CREATE FUNCTION leaderboard_add(p_user uuid, p_course uuid, p_at timestamptz, p_amount bigint, p_zone text)
RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    IF p_amount <> 0 THEN
        INSERT INTO gamification.leaderboard_pending (user_id, course_id, occurred_at, amount, zone)
        VALUES (p_user, nullif(p_course, '00000000-0000-0000-0000-000000000000'), p_at, p_amount, p_zone);
    END IF;
END
$$;

-- At commit: every award the transaction queued, summed per learner and board, moves the learners
-- between score counts. The first firing applies them all; the others find nothing left.
CREATE FUNCTION leaderboard_apply_pending() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    v_users uuid[];
    v_user uuid;
BEGIN
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

CREATE CONSTRAINT TRIGGER leaderboard_apply AFTER INSERT ON leaderboard_pending
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION leaderboard_apply_pending();

-- Hidden <-> visible/anonymous: the learner's scores leave or rejoin every board and its counts,
-- in the transaction that changes the setting (visible <-> anonymous changes only how they are shown).
-- One statement, counts in key order after the learner's lock, like the awards: no deadlock.
CREATE FUNCTION leaderboard_visibility_changed() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    v_was_ranked boolean := TG_OP = 'INSERT' OR OLD.leaderboard_visibility <> 'hidden';
    v_ranked boolean := NEW.leaderboard_visibility <> 'hidden';
BEGIN
    IF v_was_ranked = v_ranked THEN
        RETURN NULL;
    END IF;
    PERFORM gamification.leaderboard_lock(NEW.user_id);
    WITH changed AS (
        UPDATE gamification.leaderboard_scores t SET ranked = v_ranked
        WHERE t.user_id = NEW.user_id AND t.ranked <> v_ranked
        RETURNING t.period, t.period_start, t.course_id, t.xp
    )
    INSERT INTO gamification.leaderboard_score_counts AS c (period, period_start, course_id, xp, learners)
    SELECT ch.period, ch.period_start, ch.course_id, ch.xp, (CASE WHEN v_ranked THEN count(*) ELSE -count(*) END)::integer
    FROM changed ch
    GROUP BY ch.period, ch.period_start, ch.course_id, ch.xp
    ORDER BY ch.period, ch.period_start, ch.course_id, ch.xp
    ON CONFLICT (period, period_start, course_id, xp) DO UPDATE SET learners = c.learners + excluded.learners;
    RETURN NULL;
END
$$;

CREATE TRIGGER leaderboard_visibility AFTER INSERT OR UPDATE OF leaderboard_visibility ON learner_settings
    FOR EACH ROW EXECUTE FUNCTION leaderboard_visibility_changed();
