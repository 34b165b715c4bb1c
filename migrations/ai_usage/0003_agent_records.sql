-- The records of the three AI agents (the seed's ai_curator_chats, ai_curator_messages,
-- ai_mentor_sessions, ai_mentor_messages, ai_mentor_tasks, ai_analyst_reports).
--
-- Learners are other services' users: user_id / student_id are plain uuids (no auth.users here).
-- Every enum and range is a CHECK, and every text has the length limit the API validates, so a
-- row that got past the API by mistake is still refused. The seed's RLS ("only their own chats
-- and sessions") is enforced by the service, which scopes every query to the caller.
-- Listings page by (created_at, id); each has an index in that order.

CREATE FUNCTION agent_records_touch() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.updated_at := clock_timestamp();
    RETURN NEW;
END $$;

CREATE TABLE ai_curator_chats (
    id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    user_id     uuid NOT NULL,
    title       text CHECK (length(btrim(title)) BETWEEN 1 AND 200),
    created_at  timestamptz NOT NULL DEFAULT clock_timestamp(),
    updated_at  timestamptz NOT NULL DEFAULT clock_timestamp()
);
-- A learner's chats newest first; everyone's (staff).
CREATE INDEX ai_curator_chats_user ON ai_curator_chats (user_id, created_at DESC, id DESC);
CREATE INDEX ai_curator_chats_newest ON ai_curator_chats (created_at DESC, id DESC);
CREATE TRIGGER ai_curator_chats_touch BEFORE UPDATE ON ai_curator_chats FOR EACH ROW EXECUTE FUNCTION agent_records_touch();

CREATE TABLE ai_curator_messages (
    id                   uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    chat_id              uuid NOT NULL REFERENCES ai_curator_chats (id) ON DELETE CASCADE,
    role                 text NOT NULL CHECK (role IN ('user', 'assistant', 'system')),
    content              text NOT NULL CHECK (length(btrim(content)) BETWEEN 1 AND 100000),
    -- The curator's sentiment analysis of a learner's message.
    student_mood         text CHECK (student_mood IN ('positive', 'neutral', 'negative', 'frustrated', 'confused', 'motivated')),
    mood_confidence      numeric(3, 2) CHECK (mood_confidence BETWEEN 0 AND 1),
    mood_indicators      jsonb CHECK (jsonb_typeof(mood_indicators) = 'object' AND length(mood_indicators::text) <= 250000),
    is_problem_detected  boolean NOT NULL DEFAULT false,
    problem_type         text CHECK (problem_type IN ('understanding', 'motivation', 'technical', 'personal')),
    -- Set after the chat row is locked, so a chat's messages are ordered as they were added.
    created_at           timestamptz NOT NULL DEFAULT clock_timestamp(),
    CHECK (mood_confidence IS NULL OR student_mood IS NOT NULL),
    CHECK (problem_type IS NULL OR is_problem_detected)
);
-- A chat's messages in order.
CREATE INDEX ai_curator_messages_chat ON ai_curator_messages (chat_id, created_at, id);
-- Staff's problem feed newest first, all problems or one type; and by mood.
CREATE INDEX ai_curator_messages_problems ON ai_curator_messages (created_at DESC, id DESC) WHERE is_problem_detected;
CREATE INDEX ai_curator_messages_problem_type ON ai_curator_messages (problem_type, created_at DESC, id DESC) WHERE is_problem_detected;
CREATE INDEX ai_curator_messages_mood ON ai_curator_messages (student_mood, created_at DESC, id DESC) WHERE student_mood IS NOT NULL;

CREATE TABLE ai_mentor_sessions (
    id               uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    student_id       uuid NOT NULL,
    session_type     text NOT NULL CHECK (session_type IN ('learning_support', 'motivation', 'career_guidance', 'progress_review', 'problem_solving')),
    context_data     jsonb CHECK (jsonb_typeof(context_data) = 'object' AND length(context_data::text) <= 250000),
    recommendations  jsonb CHECK (jsonb_typeof(recommendations) IN ('object', 'array') AND length(recommendations::text) <= 250000),
    action_items     jsonb CHECK (jsonb_typeof(action_items) IN ('object', 'array') AND length(action_items::text) <= 250000),
    follow_up_date   timestamptz,
    status           text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'completed', 'cancelled')),
    started_at       timestamptz NOT NULL DEFAULT clock_timestamp(),
    completed_at     timestamptz,
    created_at       timestamptz NOT NULL DEFAULT clock_timestamp(),
    updated_at       timestamptz NOT NULL DEFAULT clock_timestamp(),
    -- completed_at is when the session ended, completed or cancelled.
    CHECK ((status = 'active') = (completed_at IS NULL))
);
CREATE INDEX ai_mentor_sessions_student ON ai_mentor_sessions (student_id, created_at DESC, id DESC);
CREATE INDEX ai_mentor_sessions_status ON ai_mentor_sessions (status, created_at DESC, id DESC);
CREATE INDEX ai_mentor_sessions_newest ON ai_mentor_sessions (created_at DESC, id DESC);
CREATE TRIGGER ai_mentor_sessions_touch BEFORE UPDATE ON ai_mentor_sessions FOR EACH ROW EXECUTE FUNCTION agent_records_touch();

CREATE TABLE ai_mentor_messages (
    id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    session_id  uuid NOT NULL REFERENCES ai_mentor_sessions (id) ON DELETE CASCADE,
    role        text NOT NULL CHECK (role IN ('user', 'mentor', 'system')),
    content     text NOT NULL CHECK (length(btrim(content)) BETWEEN 1 AND 100000),
    metadata    jsonb CHECK (jsonb_typeof(metadata) = 'object' AND length(metadata::text) <= 250000),
    created_at  timestamptz NOT NULL DEFAULT clock_timestamp()
);
CREATE INDEX ai_mentor_messages_session ON ai_mentor_messages (session_id, created_at, id);

CREATE TABLE ai_mentor_tasks (
    id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    triggered_by  text NOT NULL CHECK (triggered_by IN ('ai_curator_alert', 'analyst_report', 'admin_request', 'scheduled', 'student_request')),
    student_id    uuid NOT NULL,
    task_type     text NOT NULL CHECK (length(btrim(task_type)) BETWEEN 1 AND 100),
    description   text NOT NULL CHECK (length(btrim(description)) BETWEEN 1 AND 20000),
    priority      text NOT NULL DEFAULT 'medium' CHECK (priority IN ('low', 'medium', 'high', 'urgent')),
    context_data  jsonb CHECK (jsonb_typeof(context_data) = 'object' AND length(context_data::text) <= 250000),
    status        text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'in_progress', 'completed', 'cancelled')),
    assigned_at   timestamptz NOT NULL DEFAULT clock_timestamp(),
    completed_at  timestamptz,
    result        jsonb CHECK (jsonb_typeof(result) = 'object' AND length(result::text) <= 250000),
    created_at    timestamptz NOT NULL DEFAULT clock_timestamp(),
    updated_at    timestamptz NOT NULL DEFAULT clock_timestamp(),
    CHECK ((status = 'completed') = (completed_at IS NOT NULL)),
    CHECK (result IS NULL OR status = 'completed')
);
CREATE INDEX ai_mentor_tasks_student ON ai_mentor_tasks (student_id, created_at DESC, id DESC);
CREATE INDEX ai_mentor_tasks_status ON ai_mentor_tasks (status, created_at DESC, id DESC);
CREATE INDEX ai_mentor_tasks_newest ON ai_mentor_tasks (created_at DESC, id DESC);
CREATE TRIGGER ai_mentor_tasks_touch BEFORE UPDATE ON ai_mentor_tasks FOR EACH ROW EXECUTE FUNCTION agent_records_touch();

CREATE TABLE ai_analyst_reports (
    id                  uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    report_type         text NOT NULL CHECK (report_type IN ('student_progress', 'ai_curator_effectiveness', 'learning_patterns',
                                                             'engagement_analysis', 'problem_areas', 'overall_platform')),
    target_student_id   uuid,
    period_start        timestamptz NOT NULL,
    period_end          timestamptz NOT NULL,
    raw_data            jsonb NOT NULL CHECK (jsonb_typeof(raw_data) = 'object' AND length(raw_data::text) <= 250000),
    analysis_results    jsonb NOT NULL CHECK (jsonb_typeof(analysis_results) = 'object' AND length(analysis_results::text) <= 250000),
    insights            jsonb CHECK (jsonb_typeof(insights) IN ('object', 'array') AND length(insights::text) <= 250000),
    recommendations     jsonb CHECK (jsonb_typeof(recommendations) IN ('object', 'array') AND length(recommendations::text) <= 250000),
    metrics             jsonb CHECK (jsonb_typeof(metrics) = 'object' AND length(metrics::text) <= 250000),
    status              text NOT NULL DEFAULT 'completed' CHECK (status IN ('processing', 'completed', 'failed')),
    generated_by        text NOT NULL DEFAULT 'gpt-4o' CHECK (length(btrim(generated_by)) BETWEEN 1 AND 100),
    processing_time_ms  integer CHECK (processing_time_ms BETWEEN 0 AND 86400000),
    created_at          timestamptz NOT NULL DEFAULT clock_timestamp(),
    CHECK (period_end > period_start),
    CHECK (report_type <> 'student_progress' OR target_student_id IS NOT NULL)
);
CREATE INDEX ai_analyst_reports_type ON ai_analyst_reports (report_type, created_at DESC, id DESC);
CREATE INDEX ai_analyst_reports_target ON ai_analyst_reports (target_student_id, created_at DESC, id DESC) WHERE target_student_id IS NOT NULL;
CREATE INDEX ai_analyst_reports_newest ON ai_analyst_reports (created_at DESC, id DESC);
