-- The library next to the courses: articles (written here, linked from elsewhere, or scraped)
-- and videos (YouTube, Vimeo or self-hosted, with transcripts), in one table so they share
-- authoring, publishing and search. Columns a kind does not use stay NULL (checked below).
CREATE TABLE library_items (
    id                uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    kind              text NOT NULL CHECK (kind IN ('article', 'video')),
    title             text NOT NULL CHECK (length(title) BETWEEN 1 AND 300),
    -- An article's summary, a video's description.
    summary           text NOT NULL DEFAULT '' CHECK (length(summary) <= 5000),
    -- An article's content, a video's transcript.
    body              text NOT NULL DEFAULT '' CHECK (length(body) <= 300000),
    source_type       text CHECK (source_type IN ('internal', 'external', 'scraped')),
    provider          text CHECK (provider IN ('youtube', 'vimeo', 'self_hosted')),
    -- An external or scraped article's address, a video's.
    url               text CHECK (length(url) <= 2000),
    external_id       text CHECK (length(external_id) <= 200),
    author            text CHECK (length(author) <= 200),
    duration_seconds  integer CHECK (duration_seconds BETWEEN 0 AND 86400),
    category          text CHECK (length(category) BETWEEN 1 AND 100),
    language          text NOT NULL DEFAULT 'en',
    is_featured       boolean NOT NULL DEFAULT false,
    thumbnail_url     text CHECK (length(thumbnail_url) <= 2000),
    course_id         uuid REFERENCES courses (id) ON DELETE SET NULL,
    status            text NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'published', 'archived')),
    published_at      timestamptz,
    archived_at       timestamptz,
    created_by        uuid,
    created_at        timestamptz NOT NULL DEFAULT now(),
    updated_at        timestamptz NOT NULL DEFAULT now(),
    search            tsvector GENERATED ALWAYS AS (
                          search_vector(title, summary || ' ' || body, coalesce(category, '') || ' ' || coalesce(author, ''))) STORED,
    CHECK (status <> 'published' OR published_at IS NOT NULL),
    CHECK (kind <> 'article' OR (source_type IS NOT NULL AND provider IS NULL AND (source_type = 'internal' OR url IS NOT NULL))),
    CHECK (kind <> 'video' OR (provider IS NOT NULL AND source_type IS NULL AND url IS NOT NULL))
);
CREATE INDEX library_published ON library_items (kind, published_at DESC, id DESC) WHERE status = 'published';
CREATE INDEX library_featured ON library_items (kind, published_at DESC, id DESC) WHERE status = 'published' AND is_featured;
CREATE INDEX library_staff ON library_items (kind, status, created_at DESC, id DESC);
CREATE INDEX library_search ON library_items USING gin (search) WHERE status = 'published';
