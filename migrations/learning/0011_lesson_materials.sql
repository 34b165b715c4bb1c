-- Files that go with a lesson (slides, worksheets, data sets): stored elsewhere, linked here.
CREATE TABLE lesson_materials (
    id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    lesson_id     uuid NOT NULL REFERENCES lessons (id) ON DELETE CASCADE,
    file_name     text NOT NULL CHECK (length(file_name) BETWEEN 1 AND 255),
    display_name  text NOT NULL CHECK (length(display_name) BETWEEN 1 AND 300),
    url           text NOT NULL CHECK (length(url) <= 2000),
    size_bytes    bigint CHECK (size_bytes BETWEEN 0 AND 10737418240),
    content_type  text CHECK (length(content_type) <= 200),
    position      integer NOT NULL CHECK (position >= 0),
    created_at    timestamptz NOT NULL DEFAULT now(),
    UNIQUE (lesson_id, position) DEFERRABLE INITIALLY IMMEDIATE
);
