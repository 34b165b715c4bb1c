-- The first slice of the catalog (courses -> modules -> lessons) and per-learner lesson progress.

CREATE TABLE courses (
    id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    title         text NOT NULL CHECK (length(title) BETWEEN 1 AND 300),
    description   text NOT NULL DEFAULT '',
    language      text NOT NULL DEFAULT 'en',
    status        text NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'published', 'archived')),
    published_at  timestamptz,
    created_at    timestamptz NOT NULL DEFAULT now(),
    updated_at    timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE modules (
    id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    course_id   uuid NOT NULL REFERENCES courses (id) ON DELETE CASCADE,
    title       text NOT NULL CHECK (length(title) BETWEEN 1 AND 300),
    position    integer NOT NULL CHECK (position >= 0),
    created_at  timestamptz NOT NULL DEFAULT now(),
    UNIQUE (course_id, position) DEFERRABLE INITIALLY IMMEDIATE
);

CREATE TABLE lessons (
    id                uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    course_id         uuid NOT NULL REFERENCES courses (id) ON DELETE CASCADE,
    module_id         uuid NOT NULL REFERENCES modules (id) ON DELETE CASCADE,
    title             text NOT NULL CHECK (length(title) BETWEEN 1 AND 300),
    content_type      text NOT NULL DEFAULT 'text' CHECK (content_type IN ('video', 'text', 'quiz', 'assignment')),
    position          integer NOT NULL CHECK (position >= 0),
    duration_seconds  integer CHECK (duration_seconds >= 0),
    xp_reward         integer CHECK (xp_reward >= 0),
    is_required       boolean NOT NULL DEFAULT true,
    created_at        timestamptz NOT NULL DEFAULT now(),
    UNIQUE (module_id, position) DEFERRABLE INITIALLY IMMEDIATE
);
CREATE INDEX lessons_course ON lessons (course_id);

CREATE TABLE lesson_progress (
    user_id             uuid NOT NULL,
    lesson_id           uuid NOT NULL REFERENCES lessons (id) ON DELETE CASCADE,
    course_id           uuid NOT NULL REFERENCES courses (id) ON DELETE CASCADE,
    status              text NOT NULL CHECK (status IN ('not_started', 'in_progress', 'completed')),
    time_spent_seconds  integer NOT NULL DEFAULT 0 CHECK (time_spent_seconds >= 0),
    started_at          timestamptz,
    completed_at        timestamptz,
    updated_at          timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (user_id, lesson_id),
    CHECK ((status = 'completed') = (completed_at IS NOT NULL))
);
CREATE INDEX lesson_progress_user_course ON lesson_progress (user_id, course_id);
