-- What gamification received from learning, one row per event (the seeds' activity log): the
-- facts awards, streaks and counters are computed from, so rules can be recomputed and every
-- aggregate rebuilt from here and the ledger.
CREATE TABLE activity_log (
    event_id     uuid PRIMARY KEY,
    type         text NOT NULL,
    user_id      uuid NOT NULL,
    course_id    uuid,
    occurred_at  timestamptz NOT NULL,
    -- What the rules read besides the type: the lesson's own xp_reward, a quiz's score, ...
    facts        jsonb NOT NULL DEFAULT '{}',
    received_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX activity_log_user ON activity_log (user_id, occurred_at);
CREATE INDEX activity_log_type ON activity_log (type, occurred_at);

-- A learner's own settings: the IANA timezone their days are counted in (NULL: the platform's)
-- and how they appear on leaderboards.
CREATE TABLE learner_settings (
    user_id                 uuid PRIMARY KEY,
    timezone                text CHECK (length(timezone) BETWEEN 1 AND 64),
    leaderboard_visibility  text NOT NULL DEFAULT 'visible' CHECK (leaderboard_visibility IN ('visible', 'anonymous', 'hidden')),
    updated_at              timestamptz NOT NULL DEFAULT now()
);
