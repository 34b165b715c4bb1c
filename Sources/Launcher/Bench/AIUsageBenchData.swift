/// The ai-usage benchmark's data set, generated in SQL: `records` usage records of three agents and
/// three models (gpt-4o and gpt-3.5-turbo chats, whisper-1 transcriptions) by `users` users at
/// instants spread over the `days` days up to now, costed with the migrations' price book and KZT
/// rate through `ai_usage.usage_cost`, as ingest costs them. The roll-ups and their unique users
/// are built from the same records with GROUP BY, as `ai_usage.record_usage` would have left
/// them, each user's sums in one of the 32 stripes (the last byte of their id), so every roll-up
/// key has up to 32 stripe rows for the report to add up.
struct AIUsageBenchData {
    static let agents = ["ai_curator", "ai_mentor", "ai_analyst"]
    /// The service's defaults, set explicitly on the benchmark's service.
    static let timeZone = "Asia/Almaty"
    static let currency = "KZT"

    var records: Int
    var users: Int
    var days: Int

    /// The tables whose keys and indexes `IndexesAroundLoad` drops for the load.
    static let bulkTables = ["ai_usage.usage_records", "ai_usage.usage_rollup_users"]

    /// Label and statement of each step, in order (an empty label continues the step before), to
    /// run on one connection between the drops and the rebuilds of the keys and indexes of `bulkTables`.
    func load() -> [(String, String)] {
        let random = { (seed: Int) in "(hashint4(n + \(seed)) & 2147483647)" }
        let agents = "ARRAY[" + Self.agents.map { "'\($0)'" }.joined(separator: ",") + "]"
        var steps: [(String, String)] = [
            ("\(records) usage records", """
                INSERT INTO ai_usage.usage_records (request_id, agent, model, operation, prompt_tokens, cached_prompt_tokens, completion_tokens,
                                                    audio_seconds, user_id, thread_id, occurred_at, recorded_at, day, price_id, cost_usd,
                                                    currency, rate, cost_local)
                SELECT 'seed-' || r.n, r.agent, r.model, r.operation, r.prompt, r.cached, r.completion, r.audio, md5('user' || r.u)::uuid,
                       CASE WHEN r.model <> 'whisper-1' THEN 'thread-' || r.u || '-' || r.n % 10 END, r.at, r.at,
                       (r.at AT TIME ZONE '\(Self.timeZone)')::date, p.id, c.usd, '\(Self.currency)', x.rate, trim_scale(c.usd * x.rate)
                FROM (SELECT n, u, at, agent, model, CASE WHEN model = 'whisper-1' THEN 'transcription' ELSE 'chat' END AS operation,
                             CASE WHEN model = 'whisper-1' THEN 0 ELSE 200 + n % 2000 END AS prompt,
                             CASE WHEN model = 'whisper-1' OR n % 4 <> 0 THEN 0 ELSE (200 + n % 2000) / 2 END AS cached,
                             CASE WHEN model = 'whisper-1' THEN 0 ELSE 50 + n % 800 END AS completion,
                             CASE WHEN model = 'whisper-1' THEN 5 + n % 115 + (n % 1000) / 1000.0 ELSE 0 END AS audio
                      FROM (SELECT n, \(random(0)) % \(users) AS u,
                                   now() - (\(random(1_000_000_000)) % \(days * 86_400)) * interval '1 second' AS at,
                                   (\(agents))[1 + n % 3] AS agent,
                                   (ARRAY['gpt-4o','gpt-4o','gpt-3.5-turbo','gpt-3.5-turbo','gpt-3.5-turbo','whisper-1'])[1 + (n / 3) % 6] AS model
                            FROM generate_series(1, \(records)) n) g) r
                JOIN (SELECT DISTINCT ON (model) * FROM ai_usage.model_prices ORDER BY model, effective_from DESC) p ON p.model = r.model
                CROSS JOIN (SELECT rate FROM ai_usage.currency_rates WHERE currency = '\(Self.currency)' ORDER BY effective_from DESC LIMIT 1) x
                CROSS JOIN LATERAL (SELECT ai_usage.usage_cost(r.prompt, r.cached, r.completion, r.audio, p.input_per_million,
                                                               p.cached_input_per_million, p.output_per_million, p.audio_per_minute) AS usd) c
                """),
            ("users per day, agent and model", """
                CREATE UNLOGGED TABLE ai_usage.bench_day_users AS
                SELECT day, agent, model, user_id FROM ai_usage.usage_records GROUP BY 1, 2, 3, 4
                """),
        ]
        for (period, start) in [("day", "day"), ("month", "date_trunc('month', day)::date")] {
            for (agent, model) in [("agent", "model"), ("agent", "''"), ("''", "model"), ("''", "''")] {
                let grouping = [agent, model].map { $0 == "''" ? "every" : $0 }.joined(separator: ", ")
                let distinct = period == "day" && agent == "agent" && model == "model" ? "" : "DISTINCT"
                steps.append(("unique users: \(period), \(grouping)", """
                    INSERT INTO ai_usage.usage_rollup_users (bucket, user_id)
                    SELECT \(distinct) ai_usage.rollup_bucket('\(period)', \(start), \(agent), \(model)), user_id FROM ai_usage.bench_day_users
                    """))
            }
        }
        return steps
    }

    /// After the rebuilds: the roll-ups (sums per day, agent, model and stripe, added up into
    /// every period and grouping, finished periods folded into stripe -1 as the service's job leaves
    /// them; unique users counted per stripe from the users per day, agent and model the load
    /// kept), then fresh statistics and visibility maps, as autovacuum would leave them later.
    func rollUp() -> [(String, String)] {
        let stripe = "get_byte(uuid_send(user_id), 15) % 32"
        // As the service's accounting job leaves them: finished days and months folded into
        // stripe -1, today and this month spread over the stripes.
        let today = "(now() AT TIME ZONE '\(Self.timeZone)')::date"
        let folded = { (spread: String) in
            "CASE WHEN (k.period = 'day' AND k.period_start < \(today)) OR (k.period = 'month' AND k.period_start < date_trunc('month', \(today))::date) THEN -1 ELSE \(spread) END"
        }
        return [
            ("roll-ups", """
                INSERT INTO ai_usage.usage_rollups (period, period_start, agent, model, stripe, requests, unpriced_requests, prompt_tokens,
                                                    cached_prompt_tokens, completion_tokens, audio_seconds, cost_usd, cost_local, unique_users)
                SELECT s.period, s.period_start, s.agent, s.model, s.stripe, s.requests, 0, s.prompt, s.cached, s.completion, s.audio,
                       s.usd, s.local, coalesce(u.users, 0)
                FROM (SELECT k.period, k.period_start, g.agent, g.model, \(folded("b.stripe")) AS stripe, sum(b.requests) AS requests, sum(b.prompt) AS prompt,
                             sum(b.cached) AS cached, sum(b.completion) AS completion, sum(b.audio) AS audio, sum(b.usd) AS usd,
                             sum(b.local) AS local
                      FROM (SELECT day, agent, model, \(stripe) AS stripe, count(*) AS requests, sum(prompt_tokens) AS prompt,
                                   sum(cached_prompt_tokens) AS cached, sum(completion_tokens) AS completion, sum(audio_seconds) AS audio,
                                   sum(cost_usd) AS usd, sum(cost_local) AS local
                            FROM ai_usage.usage_records GROUP BY 1, 2, 3, 4) b
                      CROSS JOIN LATERAL (VALUES ('day', b.day), ('month', date_trunc('month', b.day)::date)) AS k(period, period_start)
                      CROSS JOIN LATERAL (VALUES (b.agent, b.model), (b.agent, ''), ('', b.model), ('', '')) AS g(agent, model)
                      GROUP BY 1, 2, 3, 4, 5) s
                LEFT JOIN (SELECT k.period, k.period_start, g.agent, g.model, \(folded(stripe)) AS stripe, count(DISTINCT d.user_id) AS users
                           FROM ai_usage.bench_day_users d
                           CROSS JOIN LATERAL (VALUES ('day', d.day), ('month', date_trunc('month', d.day)::date)) AS k(period, period_start)
                           CROSS JOIN LATERAL (VALUES (d.agent, d.model), (d.agent, ''), ('', d.model), ('', '')) AS g(agent, model)
                           GROUP BY 1, 2, 3, 4, 5) u USING (period, period_start, agent, model, stripe)
                """),
            ("", "DROP TABLE ai_usage.bench_day_users"),
            ("vacuum analyze", "VACUUM ANALYZE ai_usage.usage_records"),
            ("", "VACUUM ANALYZE ai_usage.usage_rollups"),
            ("", "VACUUM ANALYZE ai_usage.usage_rollup_users"),
        ]
    }

    /// Report requests (`GET path`, one per line, before the token): 30-day windows ending on
    /// each of the last `windows` days (platform time zone), so consecutive requests read
    /// different roll-up rows.
    static func reportRequests(windows: Int) -> String {
        """
        SELECT 'GET /v1/usage/report?period=day&group=agent_model&from=' || (d - 29) || '&to=' || d
        FROM (SELECT (now() AT TIME ZONE '\(timeZone)')::date - k AS d FROM generate_series(0, \(windows - 1)) k) w
        """
    }

    /// wrk script for ingest (args: a service token, a prefix unique to the run, records per
    /// request). Every request carries new request ids: the prefix, wrk's thread and a counter.
    /// One request is one record (the single-record form), or `{"records": [...]}` of that many.
    /// Agents and models mixed, 5,000 users; three records in four leave occurred_at to the
    /// server's clock, the fourth happened up to three days ago (a late report).
    static let ingestScript = """
        local threads = 0
        setup = function(thread)
          threads = threads + 1
          thread:set("thread_number", threads)
        end

        local agents = {"\(agents.joined(separator: "\", \""))"}
        local models = {"gpt-4o", "gpt-4o", "gpt-3.5-turbo", "gpt-3.5-turbo", "gpt-3.5-turbo", "whisper-1"}
        local headers = {["Content-Type"] = "application/json"}
        local prefix = "run"
        local size = 1
        local counter = 0

        init = function(args)
          headers["Authorization"] = "Bearer " .. args[1]
          prefix = args[2] .. "-" .. (thread_number or 1)
          size = tonumber(args[3])
        end

        local function record(n, now)
          local id = string.format('"request_id": "%s-%d", "agent": "%s", "user_id": "00000000-0000-4000-8000-%012d"',
            prefix, n, agents[n % 3 + 1], (n * 7919) % 5000)
          local at = ""
          if n % 4 == 0 then
            at = string.format(', "occurred_at": "%s"', os.date("!%Y-%m-%dT%H:%M:%SZ", now - (n * 7907) % 259200))
          end
          local model = models[math.floor(n / 3) % 6 + 1]
          if model == "whisper-1" then
            return string.format('{%s, "model": "whisper-1", "operation": "transcription", "audio_seconds": %d.%03d%s}',
              id, 5 + n % 115, n % 1000, at)
          end
          local prompt = 200 + n % 2000
          local cached = 0
          if n % 4 == 1 then cached = math.floor(prompt / 2) end
          return string.format('{%s, "model": "%s", "prompt_tokens": %d, "cached_prompt_tokens": %d, "completion_tokens": %d, '
            .. '"thread_id": "thread-%d"%s}', id, model, prompt, cached, 50 + n % 800, (n * 7919) % 50000, at)
        end

        request = function()
          local now = os.time()
          local body
          if size == 1 then
            counter = counter + 1
            body = record(counter, now)
          else
            local records = {}
            for i = 1, size do
              counter = counter + 1
              records[i] = record(counter, now)
            end
            body = '{"records": [' .. table.concat(records, ", ") .. ']}'
          end
          return wrk.format("POST", "/v1/usage", headers, body)
        end
        """
}
