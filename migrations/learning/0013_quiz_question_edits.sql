-- Quiz leftovers: deleting and reordering questions without disturbing attempts, and indexes
-- for the cursor pages of attempts and submissions.

-- A deleted question leaves the quiz (it loses its position, the others close the gap) but its
-- row, options and the answers given to it stay: attempts that showed it still show and grade it.
ALTER TABLE quiz_questions ADD COLUMN deleted_at timestamptz;
ALTER TABLE quiz_questions ALTER COLUMN position DROP NOT NULL;
ALTER TABLE quiz_questions ADD CONSTRAINT quiz_questions_position_while_live CHECK ((deleted_at IS NULL) = (position IS NOT NULL));
-- A reorder (and closing a gap) moves many positions in one statement: uniqueness is checked
-- when the statement, or with SET CONSTRAINTS DEFERRED the transaction, ends.
ALTER TABLE quiz_questions DROP CONSTRAINT quiz_questions_quiz_id_position_key;
ALTER TABLE quiz_questions ADD CONSTRAINT quiz_questions_quiz_id_position_key
    UNIQUE (quiz_id, position) DEFERRABLE INITIALLY IMMEDIATE;

-- The questions an attempt was started with, in the quiz's order at that moment (the attempt's
-- shuffle applies to this list). Later additions, deletions and reorders leave it alone.
ALTER TABLE quiz_attempts ADD COLUMN question_ids uuid[];
UPDATE quiz_attempts a SET question_ids = coalesce((
    SELECT array_agg(q.id ORDER BY q.position) FROM quiz_questions q
    WHERE q.quiz_id = a.quiz_id
      AND (a.status = 'in_progress' OR EXISTS (SELECT 1 FROM quiz_answers x WHERE x.attempt_id = a.id AND x.question_id = q.id))
), '{}');
ALTER TABLE quiz_attempts ALTER COLUMN question_ids SET NOT NULL;

-- Pages of one learner's attempts at a quiz, newest first (everyone's use quiz_attempts_quiz).
CREATE INDEX quiz_attempts_learner ON quiz_attempts (quiz_id, user_id, started_at DESC, id DESC);

-- Pages of an assignment's submissions, newest hand-in first. The first hand-in's time never
-- changes, so a resubmission while staff page through cannot move a row across pages.
DROP INDEX assignment_submissions_assignment;
CREATE INDEX assignment_submissions_assignment ON assignment_submissions (assignment_id, first_submitted_at DESC, id DESC);
