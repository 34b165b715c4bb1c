-- The accounting job's fold deleted the finished periods' stripe rows in whatever order it found
-- them and added them into stripe 0, which writers use as well. A late record's ingest that held
-- one of those rows and wanted another the fold already held deadlocked with it: PostgreSQL broke
-- the cycle after `deadlock_timeout` (a second), and the ingest and every ingest queued behind it
-- waited that long (seen in the benchmark's one-record run). The fold now takes only the rows no
-- transaction holds (SKIP LOCKED; a row being written is folded by the next round) and adds them
-- into stripe -1, which only folds write: it never waits for a writer, so it cannot deadlock
-- with one. A writer that wants a row the fold is moving waits for the fold's commit and then
-- starts that stripe afresh.
CREATE OR REPLACE FUNCTION fold_rollups(p_today date, p_month date) RETURNS integer
LANGUAGE plpgsql AS $$
DECLARE
    v_folded integer;
BEGIN
    WITH free AS (
        SELECT r.period, r.period_start, r.agent, r.model, r.stripe FROM ai_usage.usage_rollups r
        WHERE r.stripe >= 0 AND ((r.period = 'day' AND r.period_start < p_today) OR (r.period = 'month' AND r.period_start < p_month))
        FOR UPDATE SKIP LOCKED
    ), moved AS (
        DELETE FROM ai_usage.usage_rollups r USING free f
        WHERE (r.period, r.period_start, r.agent, r.model, r.stripe) = (f.period, f.period_start, f.agent, f.model, f.stripe)
        RETURNING r.*
    ), sums AS (
        SELECT period, period_start, agent, model, sum(requests) AS requests, sum(unpriced_requests) AS unpriced,
               sum(prompt_tokens) AS prompt, sum(cached_prompt_tokens) AS cached, sum(completion_tokens) AS completion,
               sum(audio_seconds) AS audio, sum(cost_usd) AS usd, sum(cost_local) AS local, sum(unique_users) AS users, count(*) AS n
        FROM moved GROUP BY 1, 2, 3, 4
    ), folded AS (
        INSERT INTO ai_usage.usage_rollups AS r (period, period_start, agent, model, stripe, requests, unpriced_requests, prompt_tokens,
                                                 cached_prompt_tokens, completion_tokens, audio_seconds, cost_usd, cost_local, unique_users)
        SELECT period, period_start, agent, model, -1, requests, unpriced, prompt, cached, completion, audio, usd, local, users
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
