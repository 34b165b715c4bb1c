-- Learner streaks with freezes (the seeds' UserStreak / user_streaks), in each learner's own
-- timezone. Days are local calendar dates: `(occurred_at AT TIME ZONE <the learner's zone>)::date`.

-- One row per learner: the live run and the freeze inventory.
CREATE TABLE user_streaks (
    user_id            uuid PRIMARY KEY,
    -- Active days in the live run (frozen days keep a run alive but do not count); 0: no live run.
    current_streak     integer NOT NULL DEFAULT 0 CHECK (current_streak >= 0),
    longest_streak     integer NOT NULL DEFAULT 0 CHECK (longest_streak >= 0),
    -- The latest local day with activity.
    last_activity_day  date,
    -- The last day (active or frozen) of the latest run: live when current_streak > 0, otherwise
    -- the run that broke on the day after it. Every day up to it is settled.
    covered_through    date,
    freezes_available  integer NOT NULL DEFAULT 3 CHECK (freezes_available >= 0),
    freezes_used       integer NOT NULL DEFAULT 0 CHECK (freezes_used >= 0),
    -- The seeds' last_streak_reset: the day the streak last broke.
    last_broken_on     date,
    created_at         timestamptz NOT NULL DEFAULT now(),
    updated_at         timestamptz NOT NULL DEFAULT now(),
    CHECK (current_streak <= longest_streak)
);
-- What the settling job scans: live runs, oldest coverage first.
CREATE INDEX user_streaks_live ON user_streaks (covered_through) WHERE current_streak > 0;

-- The seeds' daily activity tracking: one row per learner and local day that is active or was
-- covered by a freeze (the record of which day a freeze was used on). A late event for a frozen
-- day turns it active.
CREATE TABLE streak_days (
    user_id      uuid NOT NULL,
    day          date NOT NULL,
    kind         text NOT NULL CHECK (kind IN ('active', 'frozen')),
    recorded_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (user_id, day)
);

-- Freezes an admin granted: who, how many asked and how many fitted under the cap, and why.
CREATE TABLE streak_freeze_grants (
    id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    user_id     uuid NOT NULL,
    requested   integer NOT NULL CHECK (requested BETWEEN 1 AND 10),
    granted     integer NOT NULL CHECK (granted BETWEEN 0 AND requested),
    reason      text NOT NULL CHECK (length(reason) BETWEEN 1 AND 500),
    granted_by  uuid NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX streak_freeze_grants_user ON streak_freeze_grants (user_id, created_at);
