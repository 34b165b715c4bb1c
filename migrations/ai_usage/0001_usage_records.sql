-- AI token and audio usage, one immutable row per provider request.

CREATE TABLE usage_records (
    id                     uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    request_id             text NOT NULL UNIQUE CHECK (length(request_id) BETWEEN 1 AND 200),
    agent                  text NOT NULL,
    model                  text NOT NULL,
    operation              text NOT NULL DEFAULT 'chat',
    prompt_tokens          integer NOT NULL DEFAULT 0 CHECK (prompt_tokens >= 0),
    cached_prompt_tokens   integer NOT NULL DEFAULT 0 CHECK (cached_prompt_tokens >= 0 AND cached_prompt_tokens <= prompt_tokens),
    completion_tokens      integer NOT NULL DEFAULT 0 CHECK (completion_tokens >= 0),
    audio_seconds          numeric(12, 3) NOT NULL DEFAULT 0 CHECK (audio_seconds >= 0),
    user_id                uuid,
    thread_id              text,
    occurred_at            timestamptz NOT NULL,
    recorded_at            timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX usage_records_occurred ON usage_records (occurred_at);
