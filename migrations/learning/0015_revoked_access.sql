-- A sales manager can take back a tripwire grant (leads.student_access_changed): the gifted
-- enrolment ends with the reason 'revoked', and comes back when the student is active again.
ALTER TABLE enrollments DROP CONSTRAINT enrollments_ended_reason_check,
    ADD CONSTRAINT enrollments_ended_reason_check CHECK (ended_reason IN ('dropped', 'refunded', 'revoked'));
