-- Achievements and badges (seeds 001 badges, 002 Achievement, 003 goal_achievements, 004
-- achievements): a definition with a counter condition, unlocked at most once per learner.

CREATE TABLE achievements (
    id               uuid PRIMARY KEY,
    code             text NOT NULL UNIQUE CHECK (code ~ '^[a-z0-9][a-z0-9_-]{0,99}$'),
    title            text NOT NULL CHECK (length(title) BETWEEN 1 AND 200),
    description      text NOT NULL DEFAULT '' CHECK (length(description) <= 2000),
    icon             text CHECK (length(icon) <= 500),
    category         text NOT NULL DEFAULT 'achievement' CHECK (category IN ('completion', 'achievement', 'streak', 'milestone', 'special', 'goals')),
    rarity           text NOT NULL DEFAULT 'common' CHECK (rarity IN ('common', 'rare', 'epic', 'legendary')),
    condition_type   text NOT NULL,
    condition_value  integer NOT NULL CHECK (condition_value BETWEEN 1 AND 100000000),
    xp_reward        integer NOT NULL DEFAULT 0 CHECK (xp_reward BETWEEN 0 AND 100000),
    secret           boolean NOT NULL DEFAULT false,
    active           boolean NOT NULL DEFAULT false,
    -- Learners who hold it now (unlocked, not revoked): kept with every unlock and revocation.
    holders          integer NOT NULL DEFAULT 0 CHECK (holders >= 0),
    -- Activation awards existing learners in the background: pending until every one was looked at.
    backfill         text NOT NULL DEFAULT 'none' CHECK (backfill IN ('none', 'pending', 'done')),
    backfill_after   uuid,
    created_by       uuid,
    created_at       timestamptz NOT NULL DEFAULT now(),
    activated_at     timestamptz
);
CREATE INDEX achievements_active ON achievements (condition_type) WHERE active;
CREATE INDEX achievements_backfill ON achievements (created_at) WHERE backfill = 'pending';

CREATE TABLE achievement_unlocks (
    user_id          uuid NOT NULL,
    achievement_id   uuid NOT NULL REFERENCES achievements (id),
    unlocked_at      timestamptz NOT NULL DEFAULT now(),
    -- The counter's value when it unlocked.
    value            bigint NOT NULL,
    revoked_at       timestamptz,
    revoked_by       uuid,
    revoke_reason    text CHECK (length(revoke_reason) BETWEEN 1 AND 500),
    PRIMARY KEY (user_id, achievement_id),
    CHECK ((revoked_at IS NULL) = (revoke_reason IS NULL))
);
CREATE INDEX achievement_unlocks_recent ON achievement_unlocks (user_id, unlocked_at DESC);
