-- Server-authoritative video watching: the unique seconds each learner watched of each video
-- lesson, merged across devices, and when the lesson's threshold was first reached.
ALTER TABLE lessons
    ADD COLUMN watch_threshold_percent integer NOT NULL DEFAULT 80 CHECK (watch_threshold_percent BETWEEN 1 AND 100);

CREATE TABLE video_watch (
    user_id          uuid NOT NULL,
    lesson_id        uuid NOT NULL REFERENCES lessons (id) ON DELETE CASCADE,
    course_id        uuid NOT NULL REFERENCES courses (id) ON DELETE CASCADE,
    -- Disjoint watched segments [[start, end], …] in seconds, sorted; merged by the service.
    segments         jsonb NOT NULL DEFAULT '[]',
    watched_seconds  double precision NOT NULL DEFAULT 0 CHECK (watched_seconds >= 0),
    duration_seconds integer NOT NULL CHECK (duration_seconds > 0),
    reports          integer NOT NULL DEFAULT 0,
    qualified_at     timestamptz,
    updated_at       timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (user_id, lesson_id)
);
CREATE INDEX video_watch_user_course ON video_watch (user_id, course_id);
