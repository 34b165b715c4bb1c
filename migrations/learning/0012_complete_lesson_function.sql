-- The common lesson completion in one round trip and one transaction of its own: an enrolled
-- learner completes a lesson of a published course that needs no evidence (not a quiz,
-- assignment or timed video), has no prerequisites and sits in a course without sequential
-- modules, and it is not the last lesson the course is waiting for. Anything else answers 'slow'
-- having written nothing but the enrollment's last-access time, and the service takes its full
-- path (LessonAccess, LessonCompletionWriter) in a transaction of its own.
--
-- The caller encoded the event's payload from the lesson's course and XP reward as it last read
-- them; they are checked here under the enrollment's row lock, so a stale read means 'slow',
-- never a wrong event. Each statement of a PL/pgSQL function takes a new snapshot, so the count
-- of open lessons below sees every completion committed before the lock was granted: course
-- completion is still decided exactly once.
CREATE FUNCTION complete_lesson(
    p_user uuid, p_lesson uuid, p_course uuid, p_xp integer, p_seconds integer, p_now timestamptz,
    p_event_id uuid, p_type text, p_version integer, p_subject text, p_correlation uuid, p_actor text, p_payload jsonb,
    OUT outcome text, OUT completed_at timestamptz)
LANGUAGE plpgsql AS $$
#variable_conflict use_column
DECLARE
    v_status text;
    v_open integer;
BEGIN
    UPDATE learning.enrollments e
    SET last_accessed_at = p_now, started_at = coalesce(e.started_at, p_now),
        status = CASE WHEN e.status = 'enrolled' THEN 'in_progress' ELSE e.status END
    FROM learning.lessons l JOIN learning.courses c ON c.id = l.course_id
    WHERE l.id = p_lesson AND c.status = 'published' AND e.user_id = p_user AND e.course_id = l.course_id AND e.status <> 'dropped'
      AND l.course_id = p_course AND l.xp_reward IS NOT DISTINCT FROM p_xp
      AND NOT c.sequential_modules
      AND (l.content_type IN ('text') OR (l.content_type = 'video' AND coalesce(l.duration_seconds, 0) = 0))
      AND NOT EXISTS (SELECT 1 FROM learning.lesson_prerequisites p WHERE p.lesson_id = l.id)
    RETURNING e.status INTO v_status;
    IF NOT FOUND THEN
        outcome := 'slow';
        RETURN;
    END IF;

    SELECT count(*)::integer INTO v_open FROM learning.lessons l
    WHERE l.course_id = p_course AND l.is_required AND l.id <> p_lesson
      AND NOT EXISTS (SELECT 1 FROM learning.lesson_progress g
                      WHERE g.user_id = p_user AND g.lesson_id = l.id AND g.status = 'completed');
    IF v_open = 0 AND v_status <> 'completed' THEN
        outcome := 'slow';  -- this may be the course's last lesson: certificates and course events are the full path's
        RETURN;
    END IF;

    INSERT INTO learning.lesson_progress AS g (user_id, lesson_id, course_id, status, time_spent_seconds, started_at, completed_at)
    VALUES (p_user, p_lesson, p_course, 'completed', p_seconds, p_now, p_now)
    ON CONFLICT (user_id, lesson_id) DO UPDATE
        SET status = 'completed', completed_at = p_now, updated_at = p_now,
            time_spent_seconds = g.time_spent_seconds + excluded.time_spent_seconds
        WHERE g.status <> 'completed'
    RETURNING g.completed_at INTO completed_at;
    IF FOUND THEN
        INSERT INTO learning.outbox (event_id, type, version, subject, correlation_id, causation_id, actor, occurred_at, payload)
        VALUES (p_event_id, p_type, p_version, p_subject, p_correlation, NULL, p_actor, p_now, p_payload);
        outcome := 'completed';
    ELSE
        SELECT g.completed_at INTO completed_at FROM learning.lesson_progress g WHERE g.user_id = p_user AND g.lesson_id = p_lesson;
        outcome := 'already';
    END IF;
END
$$;
