-- Quizzes (questions, options, attempts, answers) and assignments (submissions), graded on the
-- server. A quiz or an assignment belongs to one lesson of the matching content type.

CREATE TABLE quizzes (
    id                    uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    lesson_id             uuid NOT NULL UNIQUE REFERENCES lessons (id) ON DELETE CASCADE,
    course_id             uuid NOT NULL REFERENCES courses (id) ON DELETE CASCADE,
    title                 text NOT NULL CHECK (length(title) BETWEEN 1 AND 300),
    description           text NOT NULL DEFAULT '' CHECK (length(description) <= 20000),
    passing_score         integer NOT NULL CHECK (passing_score BETWEEN 0 AND 100),
    time_limit_minutes    integer CHECK (time_limit_minutes BETWEEN 1 AND 1440),
    max_attempts          integer CHECK (max_attempts BETWEEN 1 AND 1000),
    shuffle_questions     boolean NOT NULL DEFAULT false,
    shuffle_answers       boolean NOT NULL DEFAULT false,
    show_correct_answers  text NOT NULL DEFAULT 'after_submit'
                          CHECK (show_correct_answers IN ('never', 'after_submit', 'after_pass')),
    created_by            uuid,
    created_at            timestamptz NOT NULL DEFAULT now(),
    updated_at            timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE quiz_questions (
    id                uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    quiz_id           uuid NOT NULL REFERENCES quizzes (id) ON DELETE CASCADE,
    position          integer NOT NULL CHECK (position >= 0),
    type              text NOT NULL CHECK (type IN ('single_choice', 'multiple_choice', 'true_false', 'short_answer', 'essay')),
    text              text NOT NULL CHECK (length(text) BETWEEN 1 AND 5000),
    points            integer NOT NULL CHECK (points BETWEEN 0 AND 1000),
    explanation       text NOT NULL DEFAULT '' CHECK (length(explanation) <= 5000),
    accepted_answers  text[] NOT NULL DEFAULT '{}' CHECK (cardinality(accepted_answers) <= 20),
    updated_at        timestamptz NOT NULL DEFAULT now(),
    UNIQUE (quiz_id, position),
    CHECK (type = 'short_answer' OR cardinality(accepted_answers) = 0)
);

CREATE TABLE quiz_options (
    id           uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    question_id  uuid NOT NULL REFERENCES quiz_questions (id) ON DELETE CASCADE,
    position     integer NOT NULL CHECK (position >= 0),
    text         text NOT NULL CHECK (length(text) BETWEEN 1 AND 1000),
    is_correct   boolean NOT NULL,
    UNIQUE (question_id, position)
);

-- One row per learner and quiz: locked (FOR UPDATE) while an attempt starts, so the attempt count
-- and the limit are read and written by one request at a time; `passed_at` marks the first pass.
CREATE TABLE quiz_learners (
    quiz_id    uuid NOT NULL REFERENCES quizzes (id) ON DELETE CASCADE,
    user_id    uuid NOT NULL,
    passed_at  timestamptz,
    PRIMARY KEY (quiz_id, user_id)
);

CREATE TABLE quiz_attempts (
    id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    quiz_id       uuid NOT NULL REFERENCES quizzes (id) ON DELETE CASCADE,
    user_id       uuid NOT NULL,
    number        integer NOT NULL CHECK (number >= 1),
    shuffle_seed  uuid NOT NULL,
    status        text NOT NULL DEFAULT 'in_progress'
                  CHECK (status IN ('in_progress', 'pending_review', 'passed', 'failed', 'expired')),
    started_at    timestamptz NOT NULL DEFAULT now(),
    -- The time limit's end, without the grace (see AttemptDeadline); NULL without a limit.
    deadline_at   timestamptz,
    submitted_at  timestamptz,
    score         integer CHECK (score >= 0),
    max_score     integer CHECK (max_score >= 0),
    percentage    double precision CHECK (percentage BETWEEN 0 AND 100),
    reviewed_by   uuid,
    reviewed_at   timestamptz,
    UNIQUE (quiz_id, user_id, number),
    CHECK ((status = 'in_progress') = (submitted_at IS NULL)),
    CHECK (status = 'in_progress' OR (score IS NOT NULL AND max_score IS NOT NULL AND percentage IS NOT NULL))
);
-- Staff listing of a quiz's attempts, newest first (a learner's own use the unique index).
CREATE INDEX quiz_attempts_quiz ON quiz_attempts (quiz_id, started_at DESC, id DESC);

CREATE TABLE quiz_answers (
    attempt_id   uuid NOT NULL REFERENCES quiz_attempts (id) ON DELETE CASCADE,
    question_id  uuid NOT NULL REFERENCES quiz_questions (id) ON DELETE CASCADE,
    option_ids   uuid[] NOT NULL DEFAULT '{}',
    text         text CHECK (length(text) <= 20000),
    points       integer NOT NULL CHECK (points >= 0),
    -- NULL while an essay waits for a curator.
    is_correct   boolean,
    feedback     text CHECK (length(feedback) <= 5000),
    PRIMARY KEY (attempt_id, question_id)
);
CREATE INDEX quiz_answers_question ON quiz_answers (question_id);

CREATE TABLE assignments (
    id                    uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    lesson_id             uuid NOT NULL UNIQUE REFERENCES lessons (id) ON DELETE CASCADE,
    course_id             uuid NOT NULL REFERENCES courses (id) ON DELETE CASCADE,
    title                 text NOT NULL CHECK (length(title) BETWEEN 1 AND 300),
    instructions          text NOT NULL DEFAULT '' CHECK (length(instructions) <= 50000),
    due_at                timestamptz,
    late_policy           text NOT NULL DEFAULT 'accept' CHECK (late_policy IN ('accept', 'accept_with_penalty', 'reject')),
    late_penalty_percent  integer NOT NULL DEFAULT 0 CHECK (late_penalty_percent BETWEEN 0 AND 100),
    max_points            integer NOT NULL CHECK (max_points BETWEEN 1 AND 10000),
    created_by            uuid,
    created_at            timestamptz NOT NULL DEFAULT now(),
    updated_at            timestamptz NOT NULL DEFAULT now(),
    CHECK (late_policy = 'accept_with_penalty' OR late_penalty_percent = 0)
);

-- One submission per learner and assignment, replaced by each resubmission until it is graded.
CREATE TABLE assignment_submissions (
    id                  uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    assignment_id       uuid NOT NULL REFERENCES assignments (id) ON DELETE CASCADE,
    user_id             uuid NOT NULL,
    text                text NOT NULL CHECK (length(text) <= 100000),
    attachment_urls     text[] NOT NULL DEFAULT '{}' CHECK (cardinality(attachment_urls) <= 10),
    submission_number   integer NOT NULL DEFAULT 1 CHECK (submission_number >= 1),
    is_late             boolean NOT NULL,
    first_submitted_at  timestamptz NOT NULL DEFAULT now(),
    submitted_at        timestamptz NOT NULL DEFAULT now(),
    status              text NOT NULL DEFAULT 'submitted' CHECK (status IN ('submitted', 'graded')),
    raw_score           integer CHECK (raw_score >= 0),
    penalty_percent     integer CHECK (penalty_percent BETWEEN 0 AND 100),
    score               numeric(10, 2) CHECK (score >= 0),
    feedback            text CHECK (length(feedback) <= 20000),
    graded_by           uuid,
    graded_at           timestamptz,
    UNIQUE (assignment_id, user_id),
    CHECK ((status = 'graded') = (graded_at IS NOT NULL)),
    CHECK (status = 'submitted' OR (raw_score IS NOT NULL AND score IS NOT NULL AND penalty_percent IS NOT NULL))
);
CREATE INDEX assignment_submissions_assignment ON assignment_submissions (assignment_id, submitted_at DESC, id DESC);
