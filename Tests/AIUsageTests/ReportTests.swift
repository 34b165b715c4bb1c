import Contracts
import Foundation
import LyceumTestSupport
import PostgresNIO
import ServiceKit
import Testing

extension AIUsageSuites {
/// Roll-up reports per day and month, in total, by agent, by model and by both, in the platform
/// time zone (Asia/Almaty, UTC+5); spend per user and thread.
@Suite struct ReportTests {
    @Test func reportsGroupByDayMonthAgentAndModelWithUniqueUsers() async throws {
        try await AIUsageHarness.with { app in
            let service = try await app.headers(.service)
            let admin = try await app.headers(.admin)
            let (ali, sara) = (UUID(), UUID())
            let records = [
                // 20:00 UTC on the 19th is 01:00 on the 20th in Almaty.
                UsageJSON.record("r-1", agent: "ai_curator", prompt: 1000, completion: 1000, user: ali, thread: "t-1", at: "2026-11-19T20:00:00Z"),
                UsageJSON.record("r-2", agent: "ai_curator", prompt: 1000, user: ali, thread: "t-1", at: "2026-11-20T10:00:00Z"),
                UsageJSON.record("r-3", model: "gpt-3.5-turbo", agent: "ai_mentor", prompt: 2000, completion: 2000, user: sara, at: "2026-11-20T11:00:00Z"),
                UsageJSON.record("r-4", model: "whisper-1", agent: "ai_curator", audio: "90", user: sara, at: "2026-11-21T11:00:00Z"),
                UsageJSON.record("r-5", agent: "ai_analyst", prompt: 100, at: "2026-10-31T10:00:00Z"),
            ]
            let (status, _) = try await app.call(.post, "/v1/usage", service, json: "[" + records.joined(separator: ",") + "]")
            #expect(status == .created)

            let (_, total) = try await app.call(.get, "/v1/usage/report?from=2026-11-19&to=2026-11-21", admin)
            let days = try #require(total["rows"] as? [[String: Any]])
            #expect(days.map { $0["period_start"] as? String } == ["2026-11-20", "2026-11-21"])
            #expect(days.first?["requests"] as? Int == 3)
            #expect(days.first?["unique_users"] as? Int == 2)
            #expect(days.first?["total_tokens"] as? Int == 7000)
            // 0.0125 + 0.0025 (gpt-4o) + 0.004 (gpt-3.5: 2000·0.5 + 2000·1.5) = $0.019.
            #expect(days.first?["cost_usd"] as? String == "0.019")
            #expect(days.first?["cost_local"] as? String == "8.55")
            #expect(days.last?["audio_minutes"] as? String == "1.5")
            #expect((total["totals"] as? [String: Any])?["cost_usd"] as? String == "0.028")
            #expect(total["time_zone"] as? String == "Asia/Almaty")

            let (_, byAgent) = try await app.call(.get, "/v1/usage/report?from=2026-11-20&to=2026-11-20&group=agent", admin)
            let agents = try #require(byAgent["rows"] as? [[String: Any]])
            #expect(agents.map { $0["agent"] as? String } == ["ai_curator", "ai_mentor"])
            #expect(agents.first?["unique_users"] as? Int == 1)
            #expect(agents.first?["model"] == nil)

            let (_, both) = try await app.call(.get, "/v1/usage/report?from=2026-11-20&to=2026-11-21&group=agent_model&agent=ai_curator", admin)
            let pairs = try #require(both["rows"] as? [[String: Any]])
            #expect(pairs.map { "\($0["period_start"] as? String ?? "") \($0["model"] as? String ?? "")" } == ["2026-11-20 gpt-4o", "2026-11-21 whisper-1"])

            let (_, months) = try await app.call(.get, "/v1/usage/report?period=month&from=2026-10-01&to=2026-11-30&group=model", admin)
            let monthRows = try #require(months["rows"] as? [[String: Any]])
            #expect(monthRows.map { "\($0["period_start"] as? String ?? "") \($0["model"] as? String ?? "")" }
                    == ["2026-10-01 gpt-4o", "2026-11-01 gpt-3.5-turbo", "2026-11-01 gpt-4o", "2026-11-01 whisper-1"])
            let (_, monthTotal) = try await app.call(.get, "/v1/usage/report?period=month&from=2026-11-01&to=2026-11-30", admin)
            #expect((monthTotal["rows"] as? [[String: Any]])?.first?["unique_users"] as? Int == 2)

            let (_, perUser) = try await app.call(.get, "/v1/usage/costs?by=user", admin)
            let users = try #require(perUser["items"] as? [[String: Any]])
            #expect(users.count == 2)
            #expect(users.first?["key"] as? String == ali.uuidString.lowercased())
            #expect(users.first?["cost_usd"] as? String == "0.015")
            let (_, perThread) = try await app.call(.get, "/v1/usage/costs?by=thread", admin)
            #expect((perThread["items"] as? [[String: Any]])?.map { $0["key"] as? String } == ["t-1"])
            let (_, perAgent) = try await app.call(.get, "/v1/usage/costs?by=agent&from=2026-11-01T00:00:00Z", admin)
            #expect((perAgent["items"] as? [[String: Any]])?.map { $0["key"] as? String } == ["ai_curator", "ai_mentor"])
        }
    }

    @Test func badReportQueriesNameTheirParameter() async throws {
        try await AIUsageHarness.with { app in
            let admin = try await app.headers(.admin)
            for (query, field) in [("period=week", "period"), ("group=user", "group"), ("from=2026-02-30", "from"), ("to=yesterday", "to"),
                                   ("from=2026-11-02&to=2026-11-01", "from"), ("from=2024-01-01&to=2026-01-01", "from"), ("agent=A%20B", "agent")] {
                let (status, problem) = try await app.call(.get, "/v1/usage/report?\(query)", admin)
                #expect(status == .badRequest, "\(query)")
                #expect(AIUsageHarness.fields(problem) == [field], "\(query)")
            }
            for (query, field) in [("by=country", "by"), ("limit=0", "limit"), ("from=2026-11-02T00:00:00Z&to=2026-11-01T00:00:00Z", "to"),
                                   ("user_id=me", "user_id")] {
                let (status, problem) = try await app.call(.get, "/v1/usage/costs?\(query)", admin)
                #expect(status == .badRequest, "\(query)")
                #expect(AIUsageHarness.fields(problem) == [field], "\(query)")
            }
            let (cursor, problem) = try await app.call(.get, "/v1/usage?cursor=nonsense", admin)
            #expect(cursor == .badRequest)
            #expect(AIUsageHarness.fields(problem) == ["cursor"])
            // The default report is the last 30 days, empty here.
            let (status, empty) = try await app.call(.get, "/v1/usage/report", admin)
            #expect(status == .ok)
            #expect((empty["rows"] as? [Any])?.isEmpty == true)
        }
    }

    @Test func theListingPagesNewestFirstWithoutGapsOrRepeats() async throws {
        try await AIUsageHarness.with { app in
            let service = try await app.headers(.service)
            let admin = try await app.headers(.admin)
            let records = (0..<25).map { UsageJSON.record("p-\($0)", prompt: $0, at: String(format: "2026-11-20T10:%02d:00Z", $0 % 10)) }
            try await app.call(.post, "/v1/usage", service, json: "[" + records.joined(separator: ",") + "]")
            var seen: [String] = []
            var cursor: String?
            repeat {
                let (_, page) = try await app.call(.get, "/v1/usage?limit=7" + (cursor.map { "&cursor=\($0)" } ?? ""), admin)
                seen += (page["items"] as? [[String: Any]] ?? []).compactMap { $0["request_id"] as? String }
                cursor = page["next_cursor"] as? String
            } while cursor != nil
            #expect(seen.count == 25)
            #expect(Set(seen).count == 25)
        }
    }
}
}

extension AIUsageSuites {
/// `/openapi.json` documents every usage, price, report and budget endpoint.
@Suite struct UsageOpenAPITests {
    @Test func theDocumentNamesEveryUsageEndpoint() async throws {
        try await AIUsageHarness.with { app in
            let (status, document) = try await app.call(.get, "/openapi.json")
            #expect(status == .ok)
            let paths = try #require(document["paths"] as? [String: [String: Any]])
            for (path, method) in [("/v1/usage", "post"), ("/v1/usage", "get"), ("/v1/usage/unpriced", "get"), ("/v1/usage/costs", "get"),
                                   ("/v1/usage/report", "get"), ("/v1/usage/recompute", "post"), ("/v1/prices", "get"), ("/v1/prices", "post"),
                                   ("/v1/rates", "get"), ("/v1/rates", "post"), ("/v1/budgets", "get"), ("/v1/budgets/status", "get"),
                                   ("/v1/budgets/alerts", "get"), ("/v1/budgets/reserve", "post"), ("/v1/budgets/{scope}", "put"),
                                   ("/v1/budgets/{scope}", "delete"), ("/v1/curator/chats", "post")] {
                #expect(paths[path]?[method] != nil, "\(method) \(path)")
            }
            let schemas = try #require((document["components"] as? [String: Any])?["schemas"] as? [String: Any])
            let text = String(decoding: try JSONSerialization.data(withJSONObject: document), as: UTF8.self).replacingOccurrences(of: "\\/", with: "/")
            for ref in Set(text.matches(of: /#\/components\/schemas\/([A-Za-z]+)/).map { String($0.output.1) }) {
                #expect(schemas[ref] != nil, "$ref \(ref)")
            }
        }
    }
}
}

extension AIUsageSuites {
/// Folding the stripes of finished periods changes no figure and leaves one row per period.
@Suite struct RollupFoldTests {
    @Test func foldingKeepsEveryFigure() async throws {
        try await AIUsageHarness.with(["AI_USAGE_ALERT_INTERVAL_MS": "60000"]) { app in
            let service = try await app.headers(.service)
            let admin = try await app.headers(.admin)
            let now = RFC3339.string(from: Date())
            let records = (0..<12).map { UsageJSON.record("f-\($0)", agent: $0 % 2 == 0 ? "ai_curator" : "ai_mentor", prompt: 1000 + $0,
                                                           completion: 10, user: UUID(), at: $0 < 10 ? "2026-10-\(10 + $0)T10:00:00Z" : now) }
            // One call per record over a pool of connections: the rows land on several stripes.
            try await withThrowingTaskGroup(of: Void.self) { group in
                for record in records { group.addTask { try await app.call(.post, "/v1/usage", service, json: record) } }
                try await group.waitForAll()
            }
            // And a stripe the pool did not use that day (a backend's stripe is its pid modulo 32),
            // as another replica's backend would write.
            try await app.database.query("""
                INSERT INTO ai_usage.usage_rollups (period, period_start, agent, model, stripe, requests, prompt_tokens, cost_usd, cost_local, unique_users)
                SELECT 'day', '2026-10-10', x.agent, x.model, free.stripe, 1, 5, 0.5, 225, 1
                FROM (SELECT max(s)::smallint AS stripe FROM generate_series(0, 31) AS s
                      WHERE s NOT IN (SELECT stripe FROM ai_usage.usage_rollups WHERE period = 'day' AND period_start = '2026-10-10')) AS free,
                     (VALUES ('ai_curator', 'gpt-4o'), ('', '')) AS x (agent, model)
                """)
            let query = "/v1/usage/report?from=2026-10-01&to=2026-12-31&group=agent_model"
            let (_, before) = try await app.call(.get, query, admin)
            let (_, monthBefore) = try await app.call(.get, "/v1/usage/report?period=month&from=2026-10-01&to=2026-12-31", admin)
            let folded = try await app.count("""
                SELECT ai_usage.fold_rollups((now() AT TIME ZONE 'Asia/Almaty')::date, date_trunc('month', now() AT TIME ZONE 'Asia/Almaty')::date)
                """)
            #expect(folded > 0)
            let (_, after) = try await app.call(.get, query, admin)
            let (_, monthAfter) = try await app.call(.get, "/v1/usage/report?period=month&from=2026-10-01&to=2026-12-31", admin)
            #expect(NSDictionary(dictionary: before) == NSDictionary(dictionary: after))
            #expect(NSDictionary(dictionary: monthBefore) == NSDictionary(dictionary: monthAfter))
            #expect((before["rows"] as? [[String: Any]])?.first?["requests"] as? Int == 2)
            #expect(try await app.count("""
                SELECT count(*)::int FROM ai_usage.usage_rollups
                WHERE stripe >= 0 AND period = 'day' AND period_start < (now() AT TIME ZONE 'Asia/Almaty')::date
                """) == 0)
            #expect(try await app.count("""
                SELECT count(*)::int FROM ai_usage.usage_rollups WHERE period = 'day' AND period_start = '2026-10-10' AND agent = '' AND model = ''
                """) == 1)
        }
    }

    static let fold = """
        SELECT ai_usage.fold_rollups((now() AT TIME ZONE 'Asia/Almaty')::date, date_trunc('month', now() AT TIME ZONE 'Asia/Almaty')::date)
        """

    /// A late record's ingest holds its day's roll-up rows until it commits: the fold leaves
    /// those rows to its next round instead of waiting (waiting is how it deadlocked with an
    /// ingest that wanted a row the fold held).
    @Test func theFoldSkipsRowsAWriterHoldsAndNeverWaits() async throws {
        try await AIUsageHarness.with(["AI_USAGE_ALERT_INTERVAL_MS": "60000"]) { app in
            let service = try await app.headers(.service)
            for (index, day) in ["2026-10-10", "2026-10-11"].enumerated() {
                try await app.call(.post, "/v1/usage", service, json: UsageJSON.record("w-\(index)", prompt: 100, user: UUID(), at: "\(day)T10:00:00Z"))
            }
            let logger = TestPostgres.logger
            let held = "period = 'day' AND period_start = '2026-10-10' AND agent = '' AND model = '' AND stripe >= 0"
            try await app.database.transaction(logger: logger) { writer in
                try await writer.query(PostgresQuery(unsafeSQL: "SELECT 1 FROM ai_usage.usage_rollups WHERE \(held) FOR UPDATE"), logger: logger)
                let folded = try await app.database.transaction(logger: logger) { folder in
                    try await folder.query("SET LOCAL lock_timeout = '3s'", logger: logger)
                    for try await count in try await folder.query(PostgresQuery(unsafeSQL: Self.fold), logger: logger).decode(Int.self) { return count }
                    return 0
                }
                #expect(folded > 0, "the rows no one held were not folded")
                #expect(try await app.count("SELECT count(*)::int FROM ai_usage.usage_rollups WHERE \(held)") == 1)
            }
            #expect(try await app.count(Self.fold) > 0)
            #expect(try await app.count("SELECT count(*)::int FROM ai_usage.usage_rollups WHERE \(held)") == 0)
            #expect(try await app.count("""
                SELECT sum(requests)::int FROM ai_usage.usage_rollups WHERE period = 'day' AND period_start = '2026-10-10' AND agent = '' AND model = ''
                """) == 1)
        }
    }
}
}

extension AIUsageSuites {
/// Reports are kept for `AI_USAGE_REPORT_CACHE_MS`; a recompute clears them at once.
@Suite struct ReportCacheTests {
    static let url = "/v1/usage/report?from=2026-11-01&to=2026-11-30"

    static func requests(_ report: [String: Any]) -> Int? {
        (report["totals"] as? [String: Any])?["requests"] as? Int
    }

    @Test func aReportIsServedAgainUntilItAgesOrARecomputeClearsIt() async throws {
        try await AIUsageHarness.with(["AI_USAGE_REPORT_CACHE_MS": "600000"]) { app in
            let service = try await app.headers(.service)
            let admin = try await app.headers(.admin)
            try await app.call(.post, "/v1/usage", service, json: UsageJSON.record("c-1", prompt: 10, at: "2026-11-10T10:00:00Z"))
            #expect(Self.requests(try await app.call(.get, Self.url, admin).1) == 1)
            try await app.call(.post, "/v1/usage", service, json: UsageJSON.record("c-2", prompt: 10, at: "2026-11-11T10:00:00Z"))
            #expect(Self.requests(try await app.call(.get, Self.url, admin).1) == 1, "served from the cache")
            try await app.call(.post, "/v1/usage/recompute", admin, json: "{}")
            #expect(Self.requests(try await app.call(.get, Self.url, admin).1) == 2, "a recompute cleared it")
        }
    }

    @Test func withoutACacheEveryReportIsFresh() async throws {
        try await AIUsageHarness.with(["AI_USAGE_REPORT_CACHE_MS": "0"]) { app in
            let service = try await app.headers(.service)
            let admin = try await app.headers(.admin)
            try await app.call(.post, "/v1/usage", service, json: UsageJSON.record("n-1", prompt: 10, at: "2026-11-10T10:00:00Z"))
            #expect(Self.requests(try await app.call(.get, Self.url, admin).1) == 1)
            try await app.call(.post, "/v1/usage", service, json: UsageJSON.record("n-2", prompt: 10, at: "2026-11-11T10:00:00Z"))
            #expect(Self.requests(try await app.call(.get, Self.url, admin).1) == 2)
        }
    }
}
}
