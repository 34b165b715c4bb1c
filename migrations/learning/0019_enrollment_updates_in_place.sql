-- An enrollment row is updated on every learner action (last access; the status on the first
-- and the last lesson), and those updates can be heap-only (HOT: the new version on the same
-- page, no new entries in the table's indexes) when no indexed column changes and the page has
-- room. The course index carried the status, which no query filters on with the course (it
-- serves the cascade from courses and per-course reads), so the first completion of every
-- enrollment added entries to all three indexes; and a page filled to the last byte has no
-- room for a new version. On the benchmark's database, runs of completions went from almost no
-- HOT updates of enrollments to most of them. New pages now keep 15% free; existing pages get it
-- as they are rewritten.
ALTER TABLE enrollments SET (fillfactor = 85);
DROP INDEX enrollments_course;
CREATE INDEX enrollments_course ON enrollments (course_id);
