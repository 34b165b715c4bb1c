import Foundation
import Testing

extension AIUsageSuites {
/// `POST /v1/usage`: exact costs (the issue's golden figures), idempotency by request_id, batches.
@Suite struct UsageIngestTests {
    @Test func goldenFiguresAreExact() async throws {
        try await AIUsageHarness.with { app in
            let service = try await app.headers(.service)
            let (status, gpt) = try await app.call(.post, "/v1/usage", service, json: UsageJSON.record("g-1", prompt: 150, completion: 300))
            #expect(status == .created)
            #expect(gpt["cost_usd"] as? String == "0.003375")
            #expect(gpt["cost_local"] as? String == "1.51875")
            #expect(gpt["currency"] as? String == "KZT")
            #expect(gpt["rate"] as? String == "450")
            #expect(gpt["priced"] as? Bool == true)
            #expect(gpt["created"] as? Bool == true)

            let (_, whisper) = try await app.call(.post, "/v1/usage", service, json: UsageJSON.record("w-1", model: "whisper-1", audio: "90"))
            #expect(whisper["cost_usd"] as? String == "0.009")
            #expect(whisper["cost_local"] as? String == "4.05")

            // A cached-input price of $1.25 from 2026-11-01: 600 uncached at 2.50 + 400 cached at 1.25 = $0.002.
            try await app.database.query("""
                INSERT INTO ai_usage.model_prices (model, effective_from, input_per_million, cached_input_per_million, output_per_million)
                VALUES ('gpt-4o', '2026-11-01T00:00:00Z', 2.50, 1.25, 10.00)
                """)
            let (_, cachedRecord) = try await app.call(.post, "/v1/usage", service, json: UsageJSON.record("c-1", prompt: 1000, cached: 400))
            #expect(cachedRecord["cost_usd"] as? String == "0.002")
            // Before that version took effect, cached tokens cost the input price: 1000 at 2.50.
            let (_, older) = try await app.call(.post, "/v1/usage", service, json: UsageJSON.record("c-0", prompt: 1000, cached: 400, at: "2026-10-31T12:00:00Z"))
            #expect(older["cost_usd"] as? String == "0.0025")
        }
    }

    @Test func theSameRecordAgainAnswersTheSameAndCountsOnce() async throws {
        try await AIUsageHarness.with { app in
            let service = try await app.headers(.service)
            let body = UsageJSON.record("dup-1", prompt: 150, completion: 300, user: UUID())
            let (first, created) = try await app.call(.post, "/v1/usage", service, json: body)
            let (again, repeated) = try await app.call(.post, "/v1/usage", service, json: body)
            #expect(first == .created)
            #expect(again == .ok)
            #expect(repeated["record_id"] as? String == created["record_id"] as? String)
            #expect(repeated["cost_usd"] as? String == "0.003375")
            #expect(repeated["created"] as? Bool == false)
            #expect(try await app.count("SELECT count(*)::int FROM ai_usage.usage_records") == 1)
            #expect(try await app.count("SELECT sum(requests)::int FROM ai_usage.usage_rollups WHERE period = 'day' AND agent = '' AND model = ''") == 1)
            #expect(try await app.outboxCount("ai_usage.usage_recorded") == 1)
        }
    }

    @Test func theSameIdWithDifferentContentIsAConflictAndWritesNothing() async throws {
        try await AIUsageHarness.with { app in
            let service = try await app.headers(.service)
            try await app.call(.post, "/v1/usage", service, json: UsageJSON.record("x-1", prompt: 150))
            let (status, problem) = try await app.call(.post, "/v1/usage", service, json: UsageJSON.record("x-1", prompt: 151))
            #expect(status == .conflict)
            #expect(AIUsageHarness.fields(problem) == ["request_id"])
            // In a batch the conflict is named by position, and the batch's new records are not kept.
            let batch = #"{"records": [\#(UsageJSON.record("x-2", prompt: 5)), \#(UsageJSON.record("x-1", prompt: 999))]}"#
            let (batchStatus, batchProblem) = try await app.call(.post, "/v1/usage", service, json: batch)
            #expect(batchStatus == .conflict)
            #expect(AIUsageHarness.fields(batchProblem) == ["records[1].request_id"])
            #expect(try await app.count("SELECT count(*)::int FROM ai_usage.usage_records") == 1)
            #expect(try await app.count("SELECT sum(requests)::int FROM ai_usage.usage_rollups WHERE period = 'day' AND agent = '' AND model = ''") == 1)
        }
    }

    @Test func aBatchRecordsEveryRecordOnceInOneEvent() async throws {
        try await AIUsageHarness.with { app in
            let service = try await app.headers(.service)
            let user = UUID()
            let records = (0..<50).map { UsageJSON.record("b-\($0)", agent: $0 % 2 == 0 ? "ai_mentor" : "ai_curator", prompt: 100, completion: 10, user: user) }
            let (status, answer) = try await app.call(.post, "/v1/usage", service, json: #"{"records": [\#(records.joined(separator: ","))]}"#)
            #expect(status == .created)
            #expect(answer["created"] as? Int == 50)
            #expect((answer["records"] as? [[String: Any]])?.first?["request_id"] as? String == "b-0")
            // Again, with two new ones: 2 created, 50 duplicates, one more event.
            let more = records + [UsageJSON.record("b-50", prompt: 1), UsageJSON.record("b-51", prompt: 1)]
            let (_, second) = try await app.call(.post, "/v1/usage", service, json: "[" + more.joined(separator: ",") + "]")
            #expect(second["created"] as? Int == 2)
            #expect(second["duplicates"] as? Int == 50)
            #expect(try await app.outboxCount("ai_usage.usage_recorded") == 2)
            #expect(try await app.count("SELECT sum(requests)::int FROM ai_usage.usage_rollups WHERE period = 'month' AND agent = '' AND model = ''") == 52)
            #expect(try await app.count("SELECT sum(unique_users)::int FROM ai_usage.usage_rollups WHERE period = 'day' AND agent = '' AND model = ''") == 1)
            #expect(try await app.count("SELECT sum(unique_users)::int FROM ai_usage.usage_rollups WHERE period = 'day' AND agent <> '' AND model = ''") == 2)
            let payload = try await app.count("SELECT (payload->>'count')::int FROM ai_usage.outbox WHERE type = 'ai_usage.usage_recorded' ORDER BY position LIMIT 1")
            #expect(payload == 50)
        }
    }
}
}
