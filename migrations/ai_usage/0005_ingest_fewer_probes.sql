-- Ingest with fewer index probes per record (issue 7's 10,000,000-record benchmark: a batch of 500
-- spent about a third of its time on unique-user keys, a sixth on random record ids):
--
-- * The roll-ups' sums are taken per day, agent and model first and then spread over the eight
--   groupings, instead of spreading every record eight times.
-- * Unique-user keys are written in two steps. A record's eight keys (day and month, times its
--   agent and model, its agent, its model, everything) are always written together, so when the
--   user is already known for the day's agent and model, the other seven exist too: one probe
--   instead of eight for a user active that day, which is nearly every record. The other seven are
--   probed only for a pair new that day. (Keys are never deleted, and every writer, the benchmark's
--   seed too, writes all eight.) Two concurrent calls for the same new key: the second waits for
--   the first and then sees it, so nobody is counted twice.
-- * Record ids are time-ordered (the UUIDv7 layout: 48 bits of milliseconds, then random bits), so
--   new ids land on the rightmost pages of the primary key instead of a random page of a large
--   index each. They stay UUIDs; clients cannot tell them apart except that they sort by time.
-- * The call answers the new records from the rows it inserted rather than reading them back;
--   only duplicates are read.
-- * Budget alerts are not looked for when every budget in scope has already fired its exceeded
--   alert for the day and the month (summing the roll-up stripes and holds was a quarter of a
--   small call's time once a budget had run out). Under budget the check runs as before.
--
-- record_usage_generic calls this function by name and keeps working unchanged.

-- Alerts for every threshold the spend of p_day (and its month) has reached, once per budget,
-- period and level; each new one is an event. Returns how many fired.
CREATE OR REPLACE FUNCTION fire_budget_alerts(p_all boolean, p_agents text[], p_day date, p_now timestamptz, p_currency text, p_webhook boolean)
RETURNS integer LANGUAGE plpgsql AS $$
DECLARE
    v_fired integer;
BEGIN
    -- Every budget in scope already exceeded in both periods (so both its alerts fired): nothing
    -- can fire, and the sums below need not be taken.
    IF NOT EXISTS (
        SELECT 1 FROM ai_usage.budgets b
        CROSS JOIN LATERAL (VALUES ('day', p_day, b.daily_limit),
                                   ('month', date_trunc('month', p_day)::date, b.monthly_limit)) AS x(period, period_start, lim)
        WHERE b.alert_enabled AND x.lim IS NOT NULL AND (p_all OR b.agent IS NULL OR b.agent = ANY(p_agents))
          AND NOT EXISTS (SELECT 1 FROM ai_usage.budget_alerts a WHERE a.budget_id = b.id AND a.period = x.period
                                                                  AND a.period_start = x.period_start AND a.level = 'exceeded')) THEN
        RETURN 0;
    END IF;
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

CREATE OR REPLACE FUNCTION record_usage(
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
    v_ids uuid[];
    v_days date[];
    v_prices uuid[];
    v_usd text[];
    v_local text[];
    v_rates text[];
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
            (id, request_id, agent, model, operation, prompt_tokens, cached_prompt_tokens, completion_tokens, audio_seconds,
             user_id, thread_id, occurred_at, day, price_id, cost_usd, currency, rate, cost_local)
        SELECT encode(set_bit(set_bit(overlay(uuid_send(gen_random_uuid())
                                              PLACING substring(int8send((extract(epoch FROM p_now) * 1000)::bigint) FROM 3) FROM 1 FOR 6),
                                      52, 1), 53, 1), 'hex')::uuid,
               t.request_id, t.agent, t.model, t.operation, t.prompt, t.cached, t.completion, t.audio,
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
    ), pair_days AS (
        -- Each record's key for its day, agent and model.
        SELECT i.user_id, i.day, i.agent, i.model, ai_usage.rollup_bucket('day', i.day, i.agent, i.model) AS bucket
        FROM ins i WHERE i.user_id IS NOT NULL
    ), new_pair_days AS (
        INSERT INTO ai_usage.usage_rollup_users (bucket, user_id)
        SELECT DISTINCT bucket, user_id FROM pair_days
        ORDER BY 1, 2
        ON CONFLICT DO NOTHING
        RETURNING bucket, user_id
    ), new_others AS (
        -- Only for a user new to a day's agent and model: had they used that pair that day, its
        -- seven other keys (the day's wider groupings, the month's four) were written with it.
        INSERT INTO ai_usage.usage_rollup_users (bucket, user_id)
        SELECT DISTINCT ai_usage.rollup_bucket(k.period, k.period_start, g.agent, g.model), n.user_id
        FROM (SELECT DISTINCT p.user_id, p.day, p.agent, p.model
              FROM new_pair_days n JOIN pair_days p ON p.bucket = n.bucket AND p.user_id = n.user_id) n
        CROSS JOIN LATERAL (VALUES ('day', n.day), ('month', date_trunc('month', n.day)::date)) AS k(period, period_start)
        CROSS JOIN LATERAL (VALUES (n.agent, n.model), (n.agent, ''), ('', n.model), ('', '')) AS g(agent, model)
        WHERE k.period = 'month' OR g.agent = '' OR g.model = ''
        ORDER BY 1, 2
        ON CONFLICT DO NOTHING
        RETURNING bucket
    ), user_counts AS (
        SELECT bucket, count(*) AS n FROM (SELECT bucket FROM new_pair_days UNION ALL SELECT bucket FROM new_others) u GROUP BY 1
    ), day_sums AS (
        -- The records' figures per day, agent and model first (a handful of rows), then spread
        -- over the roll-ups' periods and groupings.
        SELECT i.day, i.agent, i.model, count(*) AS requests, count(*) FILTER (WHERE i.price_id IS NULL) AS unpriced,
               sum(i.prompt_tokens) AS prompt, sum(i.cached_prompt_tokens) AS cached, sum(i.completion_tokens) AS completion,
               sum(i.audio_seconds) AS audio, coalesce(sum(i.cost_usd), 0) AS usd, coalesce(sum(i.cost_local), 0) AS local
        FROM ins i GROUP BY 1, 2, 3
    ), sums AS (
        SELECT k.period, k.period_start, g.agent, g.model, ai_usage.rollup_bucket(k.period, k.period_start, g.agent, g.model) AS bucket,
               sum(d.requests) AS requests, sum(d.unpriced) AS unpriced, sum(d.prompt) AS prompt, sum(d.cached) AS cached,
               sum(d.completion) AS completion, sum(d.audio) AS audio, sum(d.usd) AS usd, sum(d.local) AS local
        FROM day_sums d
        CROSS JOIN LATERAL (VALUES ('day', d.day), ('month', date_trunc('month', d.day)::date)) AS k(period, period_start)
        CROSS JOIN LATERAL (VALUES (d.agent, d.model), (d.agent, ''), ('', d.model), ('', '')) AS g(agent, model)
        GROUP BY 1, 2, 3, 4
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
    SELECT coalesce(array_agg(i.request_id ORDER BY i.request_id), '{}'), coalesce(bool_or(coalesce(i.cost_local, 0) > 0), false),
           coalesce(array_agg(DISTINCT i.agent), '{}'),
           array_agg(i.id ORDER BY i.request_id), array_agg(i.day ORDER BY i.request_id), array_agg(i.price_id ORDER BY i.request_id),
           array_agg(i.cost_usd::text ORDER BY i.request_id), array_agg(i.cost_local::text ORDER BY i.request_id),
           array_agg(trim_scale(i.rate)::text ORDER BY i.request_id)
    INTO v_created, v_costly, v_agents, v_ids, v_days, v_prices, v_usd, v_local, v_rates
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

    -- The new records as inserted (no second read); duplicates as stored.
    RETURN QUERY
    SELECT c.request_id, c.id, 'created', c.day, c.price_id, c.usd, c.loc, c.rate
    FROM unnest(v_created, v_ids, v_days, v_prices, v_usd, v_local, v_rates) AS c(request_id, id, day, price_id, usd, loc, rate);
    IF cardinality(v_created) < cardinality(p_request_ids) THEN
        RETURN QUERY
        SELECT u.request_id, u.id, 'duplicate', u.day, u.price_id, u.cost_usd::text, u.cost_local::text, trim_scale(u.rate)::text
        FROM ai_usage.usage_records u
        WHERE u.request_id = ANY(p_request_ids) AND NOT (u.request_id = ANY(v_created))
        ORDER BY u.request_id;
    END IF;
END
$$;
