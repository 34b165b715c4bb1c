-- Who may learn a course and how they got in: learner profiles, purchases recorded by admins or
-- a payment service (the gateway itself is outside), enrollments, and certificates of completion.
-- Progress figures (lessons completed, progress %) are never stored: they are counted from
-- lesson_progress when read, so they cannot drift from it.

CREATE TABLE learners (
    user_id       uuid PRIMARY KEY,
    display_name  text NOT NULL CHECK (length(btrim(display_name)) BETWEEN 1 AND 200),
    updated_at    timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE purchases (
    id                  uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    user_id             uuid NOT NULL,
    course_id           uuid NOT NULL REFERENCES courses (id),
    amount              numeric(14, 2) NOT NULL CHECK (amount >= 0),
    discount            numeric(14, 2) NOT NULL DEFAULT 0 CHECK (discount >= 0 AND discount <= amount),
    final_amount        numeric(14, 2) NOT NULL,
    currency            text NOT NULL CHECK (currency ~ '^[A-Z]{3}$'),
    method              text NOT NULL CHECK (method ~ '^[a-z][a-z0-9_]{0,39}$'),
    gateway_payment_id  text UNIQUE CHECK (length(gateway_payment_id) BETWEEN 1 AND 200),
    status              text NOT NULL CHECK (status IN ('pending', 'success', 'failed', 'refunded')),
    recorded_by         uuid NOT NULL,
    refund_reason       text CHECK (length(refund_reason) <= 2000),
    created_at          timestamptz NOT NULL DEFAULT now(),
    updated_at          timestamptz NOT NULL DEFAULT now(),
    completed_at        timestamptz,
    refunded_at         timestamptz,
    CHECK (final_amount = amount - discount),
    CHECK ((status IN ('success', 'refunded')) = (completed_at IS NOT NULL)),
    CHECK ((status = 'refunded') = (refunded_at IS NOT NULL))
);
CREATE INDEX purchases_user ON purchases (user_id, created_at DESC, id DESC);
CREATE INDEX purchases_course ON purchases (course_id, created_at DESC, id DESC);
CREATE INDEX purchases_recent ON purchases (created_at DESC, id DESC);

CREATE TABLE enrollments (
    user_id           uuid NOT NULL,
    course_id         uuid NOT NULL REFERENCES courses (id) ON DELETE CASCADE,
    enrollment_type   text NOT NULL CHECK (enrollment_type IN ('free', 'paid', 'promotional', 'gifted')),
    status            text NOT NULL DEFAULT 'enrolled' CHECK (status IN ('enrolled', 'in_progress', 'completed', 'dropped')),
    purchase_id       uuid REFERENCES purchases (id),
    granted_by        uuid,
    enrolled_at       timestamptz NOT NULL DEFAULT now(),
    started_at        timestamptz,
    completed_at      timestamptz,
    last_accessed_at  timestamptz,
    -- Why access ended: the learner dropped the course, or its purchase was refunded.
    ended_reason      text CHECK (ended_reason IN ('dropped', 'refunded')),
    ended_at          timestamptz,
    PRIMARY KEY (user_id, course_id),
    CHECK ((enrollment_type = 'paid') = (purchase_id IS NOT NULL)),
    CHECK ((status = 'dropped') = (ended_at IS NOT NULL AND ended_reason IS NOT NULL))
);
CREATE INDEX enrollments_course ON enrollments (course_id, status);
CREATE INDEX enrollments_user_recent ON enrollments (user_id, enrolled_at DESC, course_id);

CREATE TABLE certificates (
    id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    -- Short, random (not sequential, not guessable from another), easy to read aloud: Crockford base32.
    code          text NOT NULL UNIQUE CHECK (code ~ '^[0-9A-HJKMNP-TV-Z]{10}$'),
    user_id       uuid NOT NULL,
    course_id     uuid NOT NULL REFERENCES courses (id),
    holder_name   text,
    course_title  text NOT NULL,
    issued_at     timestamptz NOT NULL DEFAULT now(),
    revoked_at    timestamptz,
    revoked_by    uuid,
    revoke_reason text CHECK (length(revoke_reason) BETWEEN 1 AND 2000),
    UNIQUE (user_id, course_id),
    CHECK ((revoked_at IS NULL) = (revoke_reason IS NULL))
);
CREATE INDEX certificates_course ON certificates (course_id, issued_at DESC);

-- Course completion asks "which required lessons has this learner not completed".
CREATE INDEX lessons_course_required ON lessons (course_id) WHERE is_required;
