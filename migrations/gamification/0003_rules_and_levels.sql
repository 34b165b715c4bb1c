-- XP rules, manual awards and compensations in the ledger, and configurable levels.

-- What each kind of learning event earns. Admins change them through the API; a change applies
-- to events received from then on, and `POST /v1/rules/recompute` applies it to earlier ones.
CREATE TABLE xp_rules (
    event_type  text PRIMARY KEY CHECK (event_type ~ '^[a-z]+\.[a-z_]+$'),
    amount      integer NOT NULL CHECK (amount BETWEEN 0 AND 100000),
    reason      text NOT NULL CHECK (length(reason) BETWEEN 1 AND 200),
    active      boolean NOT NULL DEFAULT true,
    updated_at  timestamptz NOT NULL DEFAULT now(),
    updated_by  uuid
);
-- The seeds' amounts.
INSERT INTO xp_rules (event_type, amount, reason) VALUES
    ('learning.lesson_completed', 50, 'lesson completed'),
    ('learning.course_completed', 200, 'course completed'),
    ('learning.quiz_passed', 25, 'quiz passed'),
    ('learning.assignment_graded', 50, 'assignment graded');

-- What the rules give for one activity: a lesson's own xp_reward wins over the rule when its
-- author set one; an inactive or missing rule gives nothing. The award and the recompute both
-- read this, so they cannot disagree.
CREATE FUNCTION rule_amount(event_type text, facts jsonb) RETURNS integer LANGUAGE sql STABLE
RETURN coalesce((SELECT CASE WHEN r.event_type = 'learning.lesson_completed' AND jsonb_typeof(facts -> 'xp_reward') = 'number'
                             THEN (facts ->> 'xp_reward')::integer ELSE r.amount END
                 FROM xp_rules r WHERE r.event_type = rule_amount.event_type AND r.active), 0);

-- Ledger entries are of three kinds: an `award` for a received event (once per event and
-- currency), an admin's `manual` award or correction (once per request id), and a recompute's
-- `compensation` of an earlier award (source_event_id names that award's event).
ALTER TABLE xp_ledger ADD COLUMN kind text NOT NULL DEFAULT 'award' CHECK (kind IN ('award', 'manual', 'compensation'));
ALTER TABLE xp_ledger ADD COLUMN created_by uuid;
ALTER TABLE xp_ledger ADD COLUMN recompute_id uuid;
ALTER TABLE xp_ledger DROP CONSTRAINT xp_ledger_source_event_id_currency_key;
CREATE UNIQUE INDEX xp_ledger_award_once ON xp_ledger (source_event_id, currency) WHERE kind = 'award';
CREATE UNIQUE INDEX xp_ledger_manual_once ON xp_ledger (source_event_id, currency) WHERE kind = 'manual';
CREATE INDEX xp_ledger_compensations ON xp_ledger (source_event_id) WHERE kind = 'compensation';
CREATE INDEX xp_ledger_user_recent ON xp_ledger (user_id, created_at DESC, id DESC);
DROP INDEX xp_ledger_user;

-- One row per recompute that was applied: who, under which policy, what it changed.
CREATE TABLE recomputes (
    id            uuid PRIMARY KEY,
    policy        text NOT NULL CHECK (policy IN ('never_take_away', 'claw_back')),
    applied_by    uuid NOT NULL,
    applied_at    timestamptz NOT NULL DEFAULT now(),
    entries       integer NOT NULL,
    learners      integer NOT NULL,
    xp_delta      bigint NOT NULL
);

-- The level curve, one row: `linear` (level = floor(xp / base) + 1; the seed's base is 100) or
-- `doubling` (level 2 at base xp, then every doubling: 1000, 2000, 4000, ...).
CREATE TABLE level_curve (
    singleton   boolean PRIMARY KEY DEFAULT true CHECK (singleton),
    kind        text NOT NULL CHECK (kind IN ('linear', 'doubling')),
    base        bigint NOT NULL CHECK (base BETWEEN 1 AND 1000000000),
    updated_at  timestamptz NOT NULL DEFAULT now(),
    updated_by  uuid
);
INSERT INTO level_curve (kind, base) VALUES ('linear', 100);

-- The curve in SQL, for re-levelling every learner in one statement when it changes
-- (`LevelCurve` is the same in Swift; a test holds them equal).
CREATE FUNCTION level_of(total bigint, kind text, base bigint) RETURNS integer LANGUAGE sql IMMUTABLE PARALLEL SAFE
RETURN CASE
    WHEN total < base THEN 1
    WHEN kind = 'linear' THEN (total / base + 1)::integer
    ELSE (floor(log(2.0, total::numeric / base)) + 2)::integer
END;

-- Levels each learner has reached: `level_reached` goes out once per learner and level, whatever
-- the curve does later.
CREATE TABLE levels_reached (
    user_id     uuid NOT NULL,
    level       integer NOT NULL CHECK (level >= 2),
    reached_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (user_id, level)
);
