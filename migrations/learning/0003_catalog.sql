-- The catalog as course authors manage it: what a course is sold and shown as, module and lesson
-- content, and the indexes the public listing pages through.

-- Rows from before this migration that were published without a date get their creation date.
UPDATE courses SET published_at = created_at WHERE status = 'published' AND published_at IS NULL;

ALTER TABLE courses
    ADD COLUMN category            text CHECK (length(category) BETWEEN 1 AND 100),
    ADD COLUMN level               text NOT NULL DEFAULT 'beginner'
                                   CHECK (level IN ('beginner', 'intermediate', 'advanced', 'all_levels')),
    -- Every language the course is taught in; always includes `language`, the main one.
    ADD COLUMN languages           text[] NOT NULL DEFAULT '{en}',
    ADD COLUMN duration_minutes    integer CHECK (duration_minutes BETWEEN 0 AND 100000),
    ADD COLUMN thumbnail_url       text CHECK (length(thumbnail_url) <= 2000),
    ADD COLUMN price               numeric(14, 2) NOT NULL DEFAULT 0 CHECK (price >= 0),
    ADD COLUMN currency            text NOT NULL DEFAULT 'USD' CHECK (currency ~ '^[A-Z]{3}$'),
    ADD COLUMN discount_percent    integer NOT NULL DEFAULT 0 CHECK (discount_percent BETWEEN 0 AND 100),
    ADD COLUMN instructor_id       uuid,
    ADD COLUMN created_by          uuid,
    ADD COLUMN sequential_modules  boolean NOT NULL DEFAULT false,
    ADD COLUMN archived_at         timestamptz,
    ADD CONSTRAINT courses_description_length CHECK (length(description) <= 20000),
    ADD CONSTRAINT courses_languages_hold_language CHECK (language = ANY (languages)),
    ADD CONSTRAINT courses_published_have_a_date CHECK (status <> 'published' OR published_at IS NOT NULL);

-- The public listing: newest published first, with its filters.
CREATE INDEX courses_published ON courses (published_at DESC, id DESC) WHERE status = 'published';
CREATE INDEX courses_published_category ON courses (category, published_at DESC, id DESC) WHERE status = 'published';
CREATE INDEX courses_published_level ON courses (level, published_at DESC, id DESC) WHERE status = 'published';
CREATE INDEX courses_languages ON courses USING gin (languages) WHERE status = 'published';
CREATE INDEX courses_staff ON courses (status, created_at DESC, id DESC);

ALTER TABLE modules
    ADD COLUMN description  text NOT NULL DEFAULT '' CHECK (length(description) <= 5000),
    ADD COLUMN updated_at   timestamptz NOT NULL DEFAULT now();

ALTER TABLE lessons
    ADD COLUMN content      text NOT NULL DEFAULT '' CHECK (length(content) <= 200000),
    ADD COLUMN video_url    text CHECK (length(video_url) <= 2000),
    ADD COLUMN is_preview   boolean NOT NULL DEFAULT false,
    ADD COLUMN updated_at   timestamptz NOT NULL DEFAULT now();
CREATE INDEX lessons_module ON lessons (module_id, position);
