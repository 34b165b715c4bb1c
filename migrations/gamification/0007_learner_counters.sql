-- What each learner has done, counted as it happens: achievements' conditions and the learner's
-- stats read these instead of scanning the activity log. All of it can be recounted from
-- `activity_log` and `goals`.
CREATE TABLE learner_counters (
    user_id                          uuid PRIMARY KEY,
    lessons_completed                integer NOT NULL DEFAULT 0,
    courses_completed                integer NOT NULL DEFAULT 0,
    quizzes_passed                   integer NOT NULL DEFAULT 0,
    perfect_quizzes                  integer NOT NULL DEFAULT 0,
    assignments_graded               integer NOT NULL DEFAULT 0,
    goals_completed                  integer NOT NULL DEFAULT 0,
    goals_completed_before_deadline  integer NOT NULL DEFAULT 0,
    high_priority_goals_completed    integer NOT NULL DEFAULT 0,
    last_activity_at                 timestamptz,
    updated_at                       timestamptz NOT NULL DEFAULT now()
);
