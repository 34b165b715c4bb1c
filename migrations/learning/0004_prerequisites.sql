-- What must come first: courses before courses, lessons before lessons. Cycles are refused by
-- the service (under an advisory lock per graph, so two concurrent edits cannot close one).
CREATE TABLE course_prerequisites (
    course_id           uuid NOT NULL REFERENCES courses (id) ON DELETE CASCADE,
    requires_course_id  uuid NOT NULL REFERENCES courses (id) ON DELETE CASCADE,
    PRIMARY KEY (course_id, requires_course_id),
    CHECK (course_id <> requires_course_id)
);
CREATE INDEX course_prerequisites_required ON course_prerequisites (requires_course_id);

CREATE TABLE lesson_prerequisites (
    lesson_id           uuid NOT NULL REFERENCES lessons (id) ON DELETE CASCADE,
    requires_lesson_id  uuid NOT NULL REFERENCES lessons (id) ON DELETE CASCADE,
    PRIMARY KEY (lesson_id, requires_lesson_id),
    CHECK (lesson_id <> requires_lesson_id)
);
CREATE INDEX lesson_prerequisites_required ON lesson_prerequisites (requires_lesson_id);
