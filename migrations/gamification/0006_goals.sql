-- Learners' own goals and their weekly reports (seed 003: user_goals, weekly_goal_reports).

CREATE TABLE goals (
    id                  uuid PRIMARY KEY,
    user_id             uuid NOT NULL,
    title               text NOT NULL CHECK (length(title) BETWEEN 1 AND 300),
    description         text NOT NULL DEFAULT '' CHECK (length(description) <= 5000),
    status              text NOT NULL DEFAULT 'todo' CHECK (status IN ('todo', 'in_progress', 'done')),
    priority            text NOT NULL DEFAULT 'medium' CHECK (priority IN ('low', 'medium', 'high')),
    category            text CHECK (length(category) BETWEEN 1 AND 100),
    due_date            date,
    created_at          timestamptz NOT NULL DEFAULT now(),
    updated_at          timestamptz NOT NULL DEFAULT now(),
    completed_at        timestamptz,
    -- The first completion: goal_completed goes out once, even if the goal is reopened and done again.
    first_completed_at  timestamptz,
    CHECK ((status = 'done') = (completed_at IS NOT NULL))
);
CREATE INDEX goals_user_recent ON goals (user_id, created_at DESC, id DESC);
CREATE INDEX goals_user_status ON goals (user_id, status);
CREATE INDEX goals_open_due ON goals (due_date) WHERE status <> 'done';

-- One report per learner and week (Monday to Sunday in the learner's own timezone), written once.
CREATE TABLE weekly_goal_reports (
    user_id                uuid NOT NULL,
    week_start             date NOT NULL CHECK (extract(isodow FROM week_start) = 1),
    week_end               date NOT NULL,
    goals_created          integer NOT NULL,
    goals_completed        integer NOT NULL,
    goals_in_progress      integer NOT NULL,
    goals_overdue          integer NOT NULL,
    xp_earned              bigint NOT NULL,
    achievements_unlocked  jsonb NOT NULL DEFAULT '[]',
    created_at             timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (user_id, week_start),
    CHECK (week_end = week_start + 6)
);
