-- A learner's progress and video watching reference their lesson; the course follows from the
-- lesson (a lesson never changes course, and deleting a course deletes its lessons, whose
-- deletion takes these rows with them). The second foreign key, to the course, checked every new
-- row again with a query of its own that locked the course's row (FOR KEY SHARE, a WAL record and
-- a dirtied catalog page per completion, and a multixact when learners of one course complete
-- together), and guarded nothing the lesson's key does not.
ALTER TABLE lesson_progress DROP CONSTRAINT lesson_progress_course_id_fkey;
ALTER TABLE video_watch DROP CONSTRAINT video_watch_course_id_fkey;
