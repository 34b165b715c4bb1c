-- Sales managers and their tripwire students (the seed's tripwire_users and sales_activity_log),
-- and the link from a lead to the platform user it became.
--
-- One tripwire student per person: `email` (normalised: trimmed, lower-cased) and `user_id` are
-- unique, so a repeated or concurrent grant of the same person finds the first row instead of
-- making a second (INSERT … ON CONFLICT DO NOTHING). Money is numeric, never float.

CREATE TABLE tripwire_users (
    id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    user_id       uuid NOT NULL UNIQUE,
    email         text NOT NULL UNIQUE CHECK (length(email) BETWEEN 3 AND 254),
    full_name     text NOT NULL CHECK (length(btrim(full_name)) BETWEEN 1 AND 200),
    -- The sales manager (or admin) who granted the access: the student is theirs.
    granted_by    uuid NOT NULL,
    -- The course the grant gave (LEADS_TRIPWIRE_COURSE when granted); its completion completes the student.
    course_id     uuid NOT NULL,
    price         numeric(14, 2) NOT NULL CHECK (price >= 0),
    status        text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'inactive', 'completed')),
    completed_at  timestamptz,
    created_at    timestamptz NOT NULL DEFAULT now(),
    updated_at    timestamptz NOT NULL DEFAULT now(),
    CHECK ((status = 'completed') = (completed_at IS NOT NULL))
);
-- A manager's students newest first (cursor = created_at, id); their stats and chart read the
-- included columns from the index.
CREATE INDEX tripwire_users_manager ON tripwire_users (granted_by, created_at DESC, id DESC) INCLUDE (status, price);
-- Everyone's students newest first (admins), and the team chart.
CREATE INDEX tripwire_users_newest ON tripwire_users (created_at DESC, id DESC) INCLUDE (status, price);

-- Every action a sales manager (or admin) took on tripwire students.
CREATE TABLE sales_activity_log (
    id              uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    manager_id      uuid NOT NULL,
    action_type     text NOT NULL CHECK (action_type IN ('user_created', 'user_status_updated', 'user_deleted', 'email_sent')),
    target_user_id  uuid,
    student_id      uuid REFERENCES tripwire_users (id),
    details         jsonb NOT NULL DEFAULT '{}'::jsonb,
    created_at      timestamptz NOT NULL DEFAULT now()
);
-- A manager's feed newest first (cursor = created_at, id).
CREATE INDEX sales_activity_manager ON sales_activity_log (manager_id, created_at DESC, id DESC);

-- The platform user a lead became (set when a tripwire grant or a purchase names them), so the
-- learning service's events, which carry user ids, find the lead. One live lead per user.
ALTER TABLE leads ADD COLUMN user_id uuid;
CREATE UNIQUE INDEX leads_live_user ON leads (user_id) WHERE user_id IS NOT NULL AND merged_into IS NULL;
