-- The accounting in SQL, so ingest is one round trip and one transaction whatever the batch size:
-- costing, the record rows, the roll-ups, consumed holds, the events and budget alerts.

-- RFC 3339 UTC with milliseconds, as LyceumJSON writes timestamps. STABLE like to_char, so it
-- is inlined.
CREATE FUNCTION rfc3339(p_at timestamptz) RETURNS text
LANGUAGE sql STABLE AS $$ SELECT to_char(p_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') $$;

-- The key of a roll-up row in usage_rollup_users (see there).
-- Only immutable parts (a date as days since 2000, not as text), so PostgreSQL inlines it: called
-- as a function it cost more than the rest of a batch's roll-ups.
CREATE FUNCTION rollup_bucket(p_period text, p_start date, p_agent text, p_model text) RETURNS bigint
LANGUAGE sql IMMUTABLE AS $$
    SELECT hashtextextended(p_period || '|' || (p_start - DATE '2000-01-01')::text || '|' || p_agent || '|' || p_model, 0)
$$;

-- A request's cost in USD: uncached prompt tokens at the input price, cached ones at the cached
-- price (the input price when the book has none), completion tokens at the output price, audio
-- per minute. Exact; only the audio's division by 60 can leave more than 12 decimal places, so
-- costs are kept to 1e-12 USD. NULL when there is no price.
CREATE FUNCTION usage_cost(p_prompt bigint, p_cached bigint, p_completion bigint, p_audio_seconds numeric,
                           p_input numeric, p_cached_input numeric, p_output numeric, p_audio_minute numeric)
RETURNS numeric LANGUAGE sql IMMUTABLE AS $$
    SELECT trim_scale(round(((p_prompt - p_cached) * p_input + p_cached * coalesce(p_cached_input, p_input)
                             + p_completion * p_output) / 1000000 + p_audio_seconds * p_audio_minute / 60, 12))
$$;

-- Every budget's limit per period (day and month of p_day) with what is spent (roll-ups) and held
-- (live allowed holds). p_all: every budget; otherwise the global one and those of p_agents.
CREATE FUNCTION budget_periods(p_all boolean, p_agents text[], p_day date, p_now timestamptz)
RETURNS TABLE (budget_id uuid, agent text, period text, period_start date, limit_amount numeric, threshold_percent integer,
               alert_enabled boolean, spent numeric, held numeric)
LANGUAGE sql STABLE AS $$
    SELECT b.id, b.agent, x.period, x.period_start, x.lim, b.alert_threshold_percent, b.alert_enabled,
           coalesce((SELECT sum(r.cost_local) FROM ai_usage.usage_rollups r
                     WHERE r.period = x.period AND r.period_start = x.period_start AND r.agent = coalesce(b.agent, '') AND r.model = ''), 0),
           coalesce((SELECT sum(h.amount) FROM ai_usage.budget_holds h
                     WHERE h.allowed AND h.consumed_at IS NULL AND h.expires_at > p_now
                       AND h.month = date_trunc('month', p_day)::date AND (x.period = 'month' OR h.day = p_day)
                       AND (b.agent IS NULL OR h.agent = b.agent)), 0)
    FROM ai_usage.budgets b
    CROSS JOIN LATERAL (VALUES ('day', p_day, b.daily_limit),
                               ('month', date_trunc('month', p_day)::date, b.monthly_limit)) AS x(period, period_start, lim)
    WHERE x.lim IS NOT NULL AND (p_all OR b.agent IS NULL OR b.agent = ANY(p_agents))
$$;

-- Alerts for every threshold the spend of p_day (and its month) has reached, once per budget,
-- period and level; each new one is an event. Returns how many fired.
CREATE FUNCTION fire_budget_alerts(p_all boolean, p_agents text[], p_day date, p_now timestamptz, p_currency text, p_webhook boolean)
RETURNS integer LANGUAGE plpgsql AS $$
DECLARE
    v_fired integer;
BEGIN
    WITH levels AS (
        SELECT f.*, l.level
        FROM ai_usage.budget_periods(p_all, p_agents, p_day, p_now) f
        CROSS JOIN LATERAL (VALUES ('threshold', f.limit_amount * f.threshold_percent / 100), ('exceeded', f.limit_amount)) AS l(level, mark)
        WHERE f.alert_enabled AND f.spent >= l.mark
    ), fired AS (
        INSERT INTO ai_usage.budget_alerts AS a (budget_id, agent, period, period_start, level, spend, limit_amount, threshold_percent,
                                                 currency, fired_at, webhook_status, webhook_next_at)
        SELECT budget_id, agent, period, period_start, level, spent, limit_amount, threshold_percent, p_currency, p_now,
               CASE WHEN p_webhook THEN 'pending' ELSE 'none' END, CASE WHEN p_webhook THEN p_now END
        FROM levels ORDER BY budget_id, period, level
        ON CONFLICT (budget_id, period, period_start, level) DO NOTHING
        RETURNING a.*
    ), events AS (
        INSERT INTO ai_usage.outbox (event_id, type, version, subject, correlation_id, occurred_at, payload)
        SELECT gen_random_uuid(),
               CASE fired.level WHEN 'threshold' THEN 'ai_usage.budget_threshold_reached' ELSE 'ai_usage.budget_exceeded' END, 1,
               'budget:' || fired.budget_id, gen_random_uuid(), fired.fired_at,
               jsonb_build_object('alert_id', fired.id, 'budget_id', fired.budget_id, 'agent', fired.agent, 'period', fired.period,
                                  'period_start', fired.period_start::text, 'level', fired.level,
                                  'spend', trim_scale(fired.spend)::text, 'limit', trim_scale(fired.limit_amount)::text,
                                  'threshold_percent', fired.threshold_percent, 'currency', fired.currency,
                                  'fired_at', ai_usage.rfc3339(fired.fired_at))
        FROM fired
        RETURNING 1
    )
    SELECT count(*)::integer INTO v_fired FROM events;
    RETURN v_fired;
END
$$;

-- Ingest of one batch (the arrays are its columns; p_users and p_threads use '' for none; an
-- occurred_at the client left out is the server's clock, and a resend is not compared on it),
-- sorted by request_id by the caller so concurrent batches lock in one order. New records are
-- costed with the price and rate in force at their occurred_at, added to the roll-ups (this
-- backend's stripe), consume their holds, and make one usage_recorded event; a model without a
-- price makes unpriced_usage_seen once a day. A request_id seen before answers 'duplicate' when
-- the content is the same; different content raises LU409 with the request ids as detail, and
-- the whole batch is undone.
CREATE FUNCTION record_usage(
    p_request_ids text[], p_agents text[], p_models text[], p_operations text[],
    p_prompt bigint[], p_cached bigint[], p_completion bigint[], p_audio numeric[],
    p_users text[], p_threads text[], p_occurred timestamptz[], p_occurred_given boolean[],
    p_time_zone text, p_currency text, p_now timestamptz, p_webhook boolean,
    p_event_id uuid, p_correlation uuid, p_actor text)
RETURNS TABLE (request_id text, record_id uuid, outcome text, day date, price_id uuid, cost_usd text, cost_local text, rate text)
LANGUAGE plpgsql AS $$
#variable_conflict use_column
DECLARE
    v_created text[];
    v_costly boolean;
    v_agents text[];
    v_conflicts text[];
    v_stripe smallint := (pg_backend_pid() % 32)::smallint;
BEGIN
    WITH input AS (
        SELECT * FROM unnest(p_request_ids, p_agents, p_models, p_operations, p_prompt, p_cached, p_completion, p_audio,
                             p_users, p_threads, p_occurred)
            AS t(request_id, agent, model, operation, prompt, cached, completion, audio, user_id, thread_id, occurred_at)
    ), ins AS (
        INSERT INTO ai_usage.usage_records AS u
            (request_id, agent, model, operation, prompt_tokens, cached_prompt_tokens, completion_tokens, audio_seconds,
             user_id, thread_id, occurred_at, day, price_id, cost_usd, currency, rate, cost_local)
        SELECT t.request_id, t.agent, t.model, t.operation, t.prompt, t.cached, t.completion, t.audio,
               NULLIF(t.user_id, '')::uuid, NULLIF(t.thread_id, ''), t.occurred_at, (t.occurred_at AT TIME ZONE p_time_zone)::date,
               p.id, c.usd, p_currency, x.rate, trim_scale(c.usd * x.rate)
        FROM input t
        LEFT JOIN LATERAL (SELECT * FROM ai_usage.model_prices mp WHERE mp.model = t.model AND mp.effective_from <= t.occurred_at
                           ORDER BY mp.effective_from DESC LIMIT 1) p ON true
        LEFT JOIN LATERAL (SELECT cr.rate FROM ai_usage.currency_rates cr WHERE cr.currency = p_currency AND cr.effective_from <= t.occurred_at
                           ORDER BY cr.effective_from DESC LIMIT 1) x ON true
        CROSS JOIN LATERAL (SELECT ai_usage.usage_cost(t.prompt, t.cached, t.completion, t.audio, p.input_per_million,
                                                       p.cached_input_per_million, p.output_per_million, p.audio_per_minute) AS usd) c
        ORDER BY t.request_id
        ON CONFLICT (request_id) DO NOTHING
        RETURNING u.*
    ), keys AS (
        SELECT i.user_id, i.price_id, i.prompt_tokens, i.cached_prompt_tokens, i.completion_tokens, i.audio_seconds, i.cost_usd,
               i.cost_local, k.period, k.period_start, g.agent AS g_agent, g.model AS g_model,
               ai_usage.rollup_bucket(k.period, k.period_start, g.agent, g.model) AS bucket
        FROM ins i
        CROSS JOIN LATERAL (VALUES ('day', i.day), ('month', date_trunc('month', i.day)::date)) AS k(period, period_start)
        CROSS JOIN LATERAL (VALUES (i.agent, i.model), (i.agent, ''), ('', i.model), ('', '')) AS g(agent, model)
    ), new_users AS (
        INSERT INTO ai_usage.usage_rollup_users (bucket, user_id)
        SELECT DISTINCT bucket, user_id FROM keys WHERE user_id IS NOT NULL
        ORDER BY 1, 2
        ON CONFLICT DO NOTHING
        RETURNING bucket
    ), user_counts AS (
        SELECT bucket, count(*) AS n FROM new_users GROUP BY 1
    ), sums AS (
        SELECT period, period_start, g_agent AS agent, g_model AS model, bucket, count(*) AS requests,
               count(*) FILTER (WHERE price_id IS NULL) AS unpriced, sum(prompt_tokens) AS prompt, sum(cached_prompt_tokens) AS cached,
               sum(completion_tokens) AS completion, sum(audio_seconds) AS audio, coalesce(sum(cost_usd), 0) AS usd,
               coalesce(sum(cost_local), 0) AS local
        FROM keys GROUP BY 1, 2, 3, 4, 5
    ), rolled AS (
        INSERT INTO ai_usage.usage_rollups AS r (period, period_start, agent, model, stripe, requests, unpriced_requests, prompt_tokens,
                                                 cached_prompt_tokens, completion_tokens, audio_seconds, cost_usd, cost_local, unique_users)
        SELECT s.period, s.period_start, s.agent, s.model, v_stripe, s.requests, s.unpriced, s.prompt, s.cached, s.completion, s.audio,
               s.usd, s.local, coalesce(uc.n, 0)
        FROM sums s LEFT JOIN user_counts uc USING (bucket)
        ORDER BY 1, 2, 3, 4
        ON CONFLICT (period, period_start, agent, model, stripe) DO UPDATE SET
            requests = r.requests + excluded.requests, unpriced_requests = r.unpriced_requests + excluded.unpriced_requests,
            prompt_tokens = r.prompt_tokens + excluded.prompt_tokens, cached_prompt_tokens = r.cached_prompt_tokens + excluded.cached_prompt_tokens,
            completion_tokens = r.completion_tokens + excluded.completion_tokens, audio_seconds = r.audio_seconds + excluded.audio_seconds,
            cost_usd = r.cost_usd + excluded.cost_usd, cost_local = r.cost_local + excluded.cost_local,
            unique_users = r.unique_users + excluded.unique_users
        RETURNING 1
    ), consumed AS (
        UPDATE ai_usage.budget_holds h SET consumed_at = p_now
        WHERE h.request_id IN (SELECT request_id FROM ins) AND h.consumed_at IS NULL
        RETURNING 1
    ), unpriced AS (
        INSERT INTO ai_usage.unpriced_models_seen (model, day)
        SELECT DISTINCT model, day FROM ins WHERE price_id IS NULL ORDER BY 1, 2
        ON CONFLICT DO NOTHING
        RETURNING model, day
    ), unpriced_events AS (
        INSERT INTO ai_usage.outbox (event_id, type, version, subject, correlation_id, actor, occurred_at, payload)
        SELECT gen_random_uuid(), 'ai_usage.unpriced_usage_seen', 1, 'model:' || n.model, p_correlation, p_actor, p_now,
               jsonb_build_object('model', n.model, 'day', n.day::text,
                                  'request_ids', (SELECT jsonb_agg(i.request_id ORDER BY i.request_id) FROM ins i
                                                  WHERE i.model = n.model AND i.day = n.day AND i.price_id IS NULL),
                                  'seen_at', ai_usage.rfc3339(p_now))
        FROM unpriced n
        RETURNING 1
    ), recorded_event AS (
        INSERT INTO ai_usage.outbox (event_id, type, version, subject, correlation_id, actor, occurred_at, payload)
        SELECT p_event_id, 'ai_usage.usage_recorded', 1, 'usage_batch:' || p_event_id, p_correlation, p_actor, p_now,
               jsonb_build_object(
                   'count', count(*), 'currency', p_currency,
                   'cost_usd', trim_scale(coalesce(sum(cost_usd), 0))::text, 'cost_local', trim_scale(coalesce(sum(cost_local), 0))::text,
                   'prompt_tokens', sum(prompt_tokens), 'completion_tokens', sum(completion_tokens),
                   'records', jsonb_agg(jsonb_build_object(
                       'record_id', id, 'request_id', request_id, 'agent', agent, 'model', model, 'user_id', user_id,
                       'cost_usd', cost_usd::text, 'cost_local', cost_local::text, 'occurred_at', ai_usage.rfc3339(occurred_at))
                       ORDER BY request_id),
                   'recorded_at', ai_usage.rfc3339(p_now))
        FROM ins
        HAVING count(*) > 0
        RETURNING 1
    )
    SELECT coalesce(array_agg(i.request_id), '{}'), coalesce(bool_or(coalesce(i.cost_local, 0) > 0), false),
           coalesce(array_agg(DISTINCT i.agent), '{}')
    INTO v_created, v_costly, v_agents
    FROM ins i;  -- the other data-modifying parts run to completion whether read or not

    IF cardinality(v_created) < cardinality(p_request_ids) THEN
        SELECT array_agg(t.request_id ORDER BY t.request_id) INTO v_conflicts
        FROM unnest(p_request_ids, p_agents, p_models, p_operations, p_prompt, p_cached, p_completion, p_audio, p_users, p_threads,
                    p_occurred, p_occurred_given)
            AS t(request_id, agent, model, operation, prompt, cached, completion, audio, user_id, thread_id, occurred_at, occurred_given)
        JOIN ai_usage.usage_records u ON u.request_id = t.request_id
        WHERE NOT (t.request_id = ANY(v_created))
          AND (u.agent, u.model, u.operation, u.prompt_tokens::bigint, u.cached_prompt_tokens::bigint, u.completion_tokens::bigint,
               u.audio_seconds, coalesce(u.user_id::text, ''), coalesce(u.thread_id, ''), u.occurred_at)
              IS DISTINCT FROM
              (t.agent, t.model, t.operation, t.prompt, t.cached, t.completion, t.audio, lower(t.user_id), t.thread_id,
               CASE WHEN t.occurred_given THEN t.occurred_at ELSE u.occurred_at END);
        IF v_conflicts IS NOT NULL THEN
            RAISE EXCEPTION 'request ids already recorded with different content' USING ERRCODE = 'LU409', DETAIL = array_to_string(v_conflicts, ',');
        END IF;
    END IF;

    IF v_costly THEN
        PERFORM ai_usage.fire_budget_alerts(false, v_agents, (p_now AT TIME ZONE p_time_zone)::date, p_now, p_currency, p_webhook);
    END IF;

    RETURN QUERY
    SELECT u.request_id, u.id, CASE WHEN u.request_id = ANY(v_created) THEN 'created' ELSE 'duplicate' END, u.day, u.price_id,
           u.cost_usd::text, u.cost_local::text, trim_scale(u.rate)::text
    FROM ai_usage.usage_records u
    WHERE u.request_id = ANY(p_request_ids)
    ORDER BY u.request_id;
END
$$;

-- Folds the stripes of finished periods (days before p_today, months before p_month) into
-- stripe 0, so a report over past periods reads one row per period and grouping. Late records
-- add to other stripes again; the next fold takes them. Returns how many rows were folded away.
CREATE FUNCTION fold_rollups(p_today date, p_month date) RETURNS integer
LANGUAGE plpgsql AS $$
DECLARE
    v_folded integer;
BEGIN
    WITH moved AS (
        DELETE FROM ai_usage.usage_rollups r
        WHERE r.stripe <> 0 AND ((r.period = 'day' AND r.period_start < p_today) OR (r.period = 'month' AND r.period_start < p_month))
        RETURNING r.*
    ), sums AS (
        SELECT period, period_start, agent, model, sum(requests) AS requests, sum(unpriced_requests) AS unpriced,
               sum(prompt_tokens) AS prompt, sum(cached_prompt_tokens) AS cached, sum(completion_tokens) AS completion,
               sum(audio_seconds) AS audio, sum(cost_usd) AS usd, sum(cost_local) AS local, sum(unique_users) AS users, count(*) AS n
        FROM moved GROUP BY 1, 2, 3, 4
    ), folded AS (
        INSERT INTO ai_usage.usage_rollups AS r (period, period_start, agent, model, stripe, requests, unpriced_requests, prompt_tokens,
                                                 cached_prompt_tokens, completion_tokens, audio_seconds, cost_usd, cost_local, unique_users)
        SELECT period, period_start, agent, model, 0, requests, unpriced, prompt, cached, completion, audio, usd, local, users
        FROM sums ORDER BY 1, 2, 3, 4
        ON CONFLICT (period, period_start, agent, model, stripe) DO UPDATE SET
            requests = r.requests + excluded.requests, unpriced_requests = r.unpriced_requests + excluded.unpriced_requests,
            prompt_tokens = r.prompt_tokens + excluded.prompt_tokens, cached_prompt_tokens = r.cached_prompt_tokens + excluded.cached_prompt_tokens,
            completion_tokens = r.completion_tokens + excluded.completion_tokens, audio_seconds = r.audio_seconds + excluded.audio_seconds,
            cost_usd = r.cost_usd + excluded.cost_usd, cost_local = r.cost_local + excluded.cost_local,
            unique_users = r.unique_users + excluded.unique_users
        RETURNING 1
    )
    SELECT coalesce(sum(n), 0)::integer INTO v_folded FROM sums WHERE (SELECT count(*) FROM folded) >= 0;
    RETURN v_folded;
END
$$;

-- record_usage for a few records: planning its statements for the given arrays costs about 4 ms,
-- three times the work itself, so small calls run on plans made once per session (a big batch
-- does better with plans fitted to it, and pays the planning once for hundreds of records).
CREATE FUNCTION record_usage_generic(
    p_request_ids text[], p_agents text[], p_models text[], p_operations text[],
    p_prompt bigint[], p_cached bigint[], p_completion bigint[], p_audio numeric[],
    p_users text[], p_threads text[], p_occurred timestamptz[], p_occurred_given boolean[],
    p_time_zone text, p_currency text, p_now timestamptz, p_webhook boolean,
    p_event_id uuid, p_correlation uuid, p_actor text)
RETURNS TABLE (request_id text, record_id uuid, outcome text, day date, price_id uuid, cost_usd text, cost_local text, rate text)
LANGUAGE plpgsql SET plan_cache_mode = force_generic_plan AS $$
BEGIN
    RETURN QUERY SELECT * FROM ai_usage.record_usage(p_request_ids, p_agents, p_models, p_operations, p_prompt, p_cached, p_completion,
        p_audio, p_users, p_threads, p_occurred, p_occurred_given, p_time_zone, p_currency, p_now, p_webhook, p_event_id, p_correlation, p_actor);
END
$$;
