import Foundation
import PostgresNIO
import Testing

extension AIUsageSuites {
/// The price book: unpriced models are kept and flagged, never costed at $0; a price added later
/// is applied by a recompute as correction entries (dry run first).
@Suite struct PricingTests {
    @Test func anUnpricedModelIsFlaggedReportedAndRecomputedLater() async throws {
        try await AIUsageHarness.with { app in
            let service = try await app.headers(.service)
            let admin = try await app.headers(.admin)
            let (status, unpriced) = try await app.call(.post, "/v1/usage", service,
                                                        json: UsageJSON.record("u-1", model: "o1-mini", prompt: 1000, completion: 500, at: "2026-11-20T10:00:00Z"))
            #expect(status == .created)
            #expect(unpriced["priced"] as? Bool == false)
            #expect(unpriced["cost_usd"] == nil)
            try await app.call(.post, "/v1/usage", service, json: UsageJSON.record("u-2", model: "o1-mini", prompt: 2000, at: "2026-11-20T11:00:00Z"))
            // One unpriced_usage_seen for the model and day, however many records.
            #expect(try await app.outboxCount("ai_usage.unpriced_usage_seen") == 1)
            let (_, report) = try await app.call(.get, "/v1/usage/unpriced", admin)
            let models = try #require(report["items"] as? [[String: Any]])
            #expect(models.count == 1)
            #expect(models.first?["model"] as? String == "o1-mini")
            #expect(models.first?["records"] as? Int == 2)

            // The price arrives, in force from before the records.
            let (added, _) = try await app.call(.post, "/v1/prices", admin, json: """
                {"model": "o1-mini", "effective_from": "2026-11-01T00:00:00Z", "input_per_million": 3, "output_per_million": 12}
                """)
            #expect(added == .created)
            let (_, dryRun) = try await app.call(.post, "/v1/usage/recompute", admin, json: #"{"model": "o1-mini"}"#)
            #expect(dryRun["applied"] as? Bool == false)
            #expect(dryRun["records"] as? Int == 2)
            #expect(dryRun["newly_priced"] as? Int == 2)
            // 1000·3 + 500·12 = 9000 → $0.009; 2000·3 = 6000 → $0.006.
            #expect(dryRun["cost_usd_delta"] as? String == "0.015")
            #expect(dryRun["cost_local_delta"] as? String == "6.75")
            #expect(try await app.count("SELECT count(*)::int FROM ai_usage.usage_corrections") == 0)

            let (applyStatus, noReason) = try await app.call(.post, "/v1/usage/recompute", admin, json: #"{"apply": true}"#)
            #expect(applyStatus == .badRequest)
            #expect(AIUsageHarness.fields(noReason) == ["reason"])
            let (_, applied) = try await app.call(.post, "/v1/usage/recompute", admin, json: #"{"apply": true, "reason": "o1-mini priced"}"#)
            #expect(applied["applied"] as? Bool == true)
            #expect(applied["records"] as? Int == 2)
            #expect(applied["recompute_id"] is String)
            // Records unchanged; corrections carry the difference; the report moved with them.
            #expect(try await app.count("SELECT count(*)::int FROM ai_usage.usage_records WHERE cost_usd IS NULL") == 2)
            #expect(try await app.count("SELECT count(*)::int FROM ai_usage.usage_corrections") == 2)
            let (_, day) = try await app.call(.get, "/v1/usage/report?from=2026-11-20&to=2026-11-20", admin)
            let row = try #require((day["rows"] as? [[String: Any]])?.first)
            #expect(row["cost_usd"] as? String == "0.015")
            #expect(row["unpriced_requests"] as? Int == 0)
            let (_, listed) = try await app.call(.get, "/v1/usage?model=o1-mini", admin)
            let first = try #require((listed["items"] as? [[String: Any]])?.first)
            #expect(first["priced"] as? Bool == true)
            #expect(first["cost_usd"] == nil)
            #expect(first["current_cost_usd"] as? String == "0.006")
            let (_, after) = try await app.call(.get, "/v1/usage/unpriced", admin)
            #expect((after["items"] as? [Any])?.isEmpty == true)
            // Nothing left to correct.
            let (_, again) = try await app.call(.post, "/v1/usage/recompute", admin, json: #"{"apply": true, "reason": "again"}"#)
            #expect(again["records"] as? Int == 0)
        }
    }

    @Test func aNewPriceVersionCorrectsOnlyRecordsInItsTime() async throws {
        try await AIUsageHarness.with { app in
            let service = try await app.headers(.service)
            let admin = try await app.headers(.admin)
            try await app.call(.post, "/v1/usage", service, json: UsageJSON.record("p-old", prompt: 1_000_000, at: "2026-10-15T00:00:00Z"))
            try await app.call(.post, "/v1/usage", service, json: UsageJSON.record("p-new", prompt: 1_000_000, at: "2026-11-15T00:00:00Z"))
            let (added, _) = try await app.call(.post, "/v1/prices", admin, json: """
                {"model": "gpt-4o", "effective_from": "2026-11-01T00:00:00Z", "input_per_million": 2.00, "output_per_million": 8}
                """)
            #expect(added == .created)
            let (_, diff) = try await app.call(.post, "/v1/usage/recompute", admin, json: "{}")
            #expect(diff["records"] as? Int == 1)
            #expect(diff["cost_usd_delta"] as? String == "-0.5")
            #expect(diff["newly_priced"] as? Int == 0)
            // A new KZT rate recosts the local side only.
            try await app.call(.post, "/v1/rates", admin, json: #"{"currency": "KZT", "rate": 500, "effective_from": "2026-10-01T00:00:00Z"}"#)
            let (_, both) = try await app.call(.post, "/v1/usage/recompute", admin, json: #"{"apply": true, "reason": "November prices, new rate"}"#)
            #expect(both["records"] as? Int == 2)
            // Old: $2.50 → 1250 KZT (was 1125); new: $2.00 → 1000 KZT (was 1125).
            #expect(both["cost_local_delta"] as? String == "0")
            #expect(both["cost_usd_delta"] as? String == "-0.5")
            let (_, month) = try await app.call(.get, "/v1/usage/report?period=month&from=2026-10-01&to=2026-11-30", admin)
            let rows = try #require(month["rows"] as? [[String: Any]])
            #expect(rows.map { $0["cost_local"] as? String } == ["1250", "1000"])
        }
    }

    /// Records name their price without a foreign key (migration 0006): the price book only grows,
    /// so a record's price always exists. Editing, deleting or emptying it is refused for every
    /// writer, not only the API.
    @Test func thePriceBookIsAppendOnly() async throws {
        try await AIUsageHarness.with { app in
            try await app.call(.post, "/v1/usage", try await app.headers(.service), json: UsageJSON.record("kept-1", prompt: 100))
            for sql in ["UPDATE ai_usage.model_prices SET input_per_million = 0 WHERE model = 'gpt-4o'",
                        "DELETE FROM ai_usage.model_prices WHERE model = 'gpt-4o'",
                        "TRUNCATE ai_usage.model_prices CASCADE"] {
                let refused = await #expect(throws: PSQLError.self, "\(sql)") { try await app.database.query(PostgresQuery(unsafeSQL: sql)) }
                #expect(refused?.serverInfo?[.sqlState] == "LU422", "\(sql): refused by the append-only trigger, not by anything else")
            }
            #expect(try await app.count("""
                SELECT count(*)::int FROM ai_usage.usage_records r JOIN ai_usage.model_prices p ON p.id = r.price_id
                WHERE r.request_id = 'kept-1' AND p.input_per_million = 2.50
                """) == 1)
        }
    }

    @Test func priceAndRateInputIsChecked() async throws {
        try await AIUsageHarness.with { app in
            let admin = try await app.headers(.admin)
            for (body, field) in [(#"{"model": "gpt 4o", "input_per_million": 1}"#, "model"),
                                  (#"{"model": "m", "input_per_million": -1}"#, "input_per_million"),
                                  (#"{"model": "m", "input_per_million": 0.0000001}"#, "input_per_million"),
                                  (#"{"model": "m"}"#, "input_per_million"),
                                  (#"{"model": "m", "input_per_million": "x"}"#, "input_per_million"),
                                  (#"{"model": "m", "input_per_million": 1, "effective_from": "yesterday"}"#, "effective_from")] {
                let (status, problem) = try await app.call(.post, "/v1/prices", admin, json: body)
                #expect(status == .badRequest, "\(body)")
                #expect(AIUsageHarness.fields(problem) == [field], "\(body)")
            }
            let (twice, conflict) = try await app.call(.post, "/v1/prices", admin,
                                                       json: #"{"model": "gpt-4o", "effective_from": "2000-01-01T00:00:00Z", "input_per_million": 1}"#)
            #expect(twice == .conflict)
            #expect(AIUsageHarness.fields(conflict) == ["effective_from"])
            for (body, field) in [(#"{"currency": "kzt", "rate": 450}"#, "currency"), (#"{"currency": "KZT", "rate": 0}"#, "rate")] {
                let (status, problem) = try await app.call(.post, "/v1/rates", admin, json: body)
                #expect(status == .badRequest)
                #expect(AIUsageHarness.fields(problem) == [field])
            }
            let (forbidden, _) = try await app.call(.post, "/v1/prices", try await app.headers(.service), json: #"{"model": "m", "input_per_million": 1}"#)
            #expect(forbidden == .forbidden)
            let (_, book) = try await app.call(.get, "/v1/prices?current=true", try await app.headers(.service))
            #expect((book["items"] as? [[String: Any]])?.map { $0["model"] as? String } == ["gpt-3.5-turbo", "gpt-4o", "whisper-1"])
        }
    }
}
}
