import Foundation
import ServiceKit
import Testing

extension AIUsageSuites {
/// Bad ingest input is a 400 naming the field and writes nothing; ingest is for the agents'
/// service token and admins only.
@Suite struct UsageInputTests {
    @Test func badRecordsNameTheirField() async throws {
        try await AIUsageHarness.with { app in
            let service = try await app.headers(.service)
            let long = String(repeating: "x", count: 201)
            let cases: [(String, String)] = [
                ("", "body"),
                ("{", "body"),
                (#"{"agent": "ai_curator", "model": "gpt-4o"}"#, "request_id"),
                (#"{"request_id": "a", "model": "gpt-4o"}"#, "agent"),
                (#"{"request_id": "a", "agent": "ai_curator", "model": "gpt-4o", "prompt_tokens": "150"}"#, "prompt_tokens"),
                (#"{"request_id": "a", "agent": "ai_curator", "model": "gpt-4o", "prompt_tokens": -1}"#, "prompt_tokens"),
                (#"{"request_id": "a", "agent": "ai_curator", "model": "gpt-4o", "completion_tokens": 100000001}"#, "completion_tokens"),
                (#"{"request_id": "a", "agent": "ai_curator", "model": "gpt-4o", "prompt_tokens": 10, "cached_prompt_tokens": 11}"#, "cached_prompt_tokens"),
                (#"{"request_id": "a", "agent": "ai_curator", "model": "whisper-1", "audio_seconds": 1.0001}"#, "audio_seconds"),
                (#"{"request_id": "a", "agent": "AI Curator", "model": "gpt-4o"}"#, "agent"),
                (#"{"request_id": "a", "agent": "ai_curator", "model": "gpt 4o"}"#, "model"),
                (#"{"request_id": "\#(long)", "agent": "ai_curator", "model": "gpt-4o"}"#, "request_id"),
                (#"{"request_id": "a\u0007", "agent": "ai_curator", "model": "gpt-4o"}"#, "request_id"),
                (#"{"request_id": "   ", "agent": "ai_curator", "model": "gpt-4o"}"#, "request_id"),
                (#"{"request_id": "\u3000", "agent": "ai_curator", "model": "gpt-4o"}"#, "request_id"),
                (#"{"request_id": "a\u0085", "agent": "ai_curator", "model": "gpt-4o"}"#, "request_id"),
                (#"{"request_id": "a\u202e", "agent": "ai_curator", "model": "gpt-4o"}"#, "request_id"),
                (#"{"request_id": "a", "agent": "ai_curator", "model": "gpt-4o", "thread_id": "t\u007f"}"#, "thread_id"),
                (#"{"request_id": "a", "agent": "ai_curator", "model": "gpt-4o", "user_id": "me"}"#, "user_id"),
                (#"{"request_id": "a", "agent": "ai_curator", "model": "gpt-4o", "thread_id": "\#(long)"}"#, "thread_id"),
                (#"{"request_id": "a", "agent": "ai_curator", "model": "gpt-4o", "occurred_at": "2999-01-01T00:00:00Z"}"#, "occurred_at"),
                (#"{"request_id": "a", "agent": "ai_curator", "model": "gpt-4o", "occurred_at": "yesterday"}"#, "occurred_at"),
                (#"{"records": []}"#, "records"),
                (#"{"records": [{"request_id": "a", "agent": "ai_curator", "model": "gpt-4o"}, {"request_id": "b", "agent": "ai_curator"}]}"#, "records[1].model"),
                (#"{"records": [{"request_id": "a", "agent": "ai_curator", "model": "gpt-4o", "prompt_tokens": 1}, {"request_id": "a", "agent": "ai_curator", "model": "gpt-4o", "prompt_tokens": 2}]}"#, "records[1].request_id"),
            ]
            for (body, field) in cases {
                let (status, problem) = try await app.call(.post, "/v1/usage", service, json: body)
                #expect(status == .badRequest, "\(body)")
                #expect(AIUsageHarness.fields(problem) == [field], "\(body): \(problem)")
            }
            let tooMany = "[" + (0...1000).map { #"{"request_id": "m-\#($0)", "agent": "ai_curator", "model": "gpt-4o"}"# }.joined(separator: ",") + "]"
            let (status, problem) = try await app.call(.post, "/v1/usage", service, json: tooMany)
            #expect(status == .badRequest)
            #expect(AIUsageHarness.fields(problem) == ["records"])
            #expect(try await app.count("SELECT count(*)::int FROM ai_usage.usage_records") == 0)
            #expect(try await app.count("SELECT count(*)::int FROM ai_usage.usage_rollups") == 0)
            #expect(try await app.count("SELECT count(*)::int FROM ai_usage.outbox") == 0)
        }
    }

    @Test func onlyTheServiceTokenAndAdminsIngestAndOnlyAdminsReadCosts() async throws {
        try await AIUsageHarness.with { app in
            let body = UsageJSON.record("auth-1", prompt: 1)
            let (anonymous, _) = try await app.call(.post, "/v1/usage", json: body)
            #expect(anonymous == .unauthorized)
            for role in [Role.student, .curator, .salesManager, .techSupport] {
                let (status, _) = try await app.call(.post, "/v1/usage", try await app.headers(role), json: body)
                #expect(status == .forbidden, "\(role)")
            }
            let (admin, _) = try await app.call(.post, "/v1/usage", try await app.headers(.admin), json: body)
            #expect(admin == .created)
            for path in ["/v1/usage", "/v1/usage/report", "/v1/usage/costs", "/v1/usage/unpriced", "/v1/budgets", "/v1/budgets/alerts"] {
                for role in [Role.student, .curator, .service] {
                    let (status, _) = try await app.call(.get, path, try await app.headers(role))
                    #expect(status == .forbidden, "\(role) \(path)")
                }
            }
        }
    }

    @Test func concurrentIdenticalSubmissionsRecordOnce() async throws {
        try await AIUsageHarness.with { app in
            let service = try await app.headers(.service)
            let body = UsageJSON.record("same", prompt: 150, completion: 300, user: UUID())
            let statuses = try await withThrowingTaskGroup(of: Int.self) { group in
                for _ in 0..<32 { group.addTask { Int(try await app.call(.post, "/v1/usage", service, json: body).0.code) } }
                return try await group.reduce(into: [Int]()) { $0.append($1) }
            }
            #expect(statuses.filter { $0 == 201 }.count == 1)
            #expect(statuses.filter { $0 == 200 }.count == 31)
            #expect(try await app.count("SELECT count(*)::int FROM ai_usage.usage_records") == 1)
            #expect(try await app.count("SELECT sum(requests)::int FROM ai_usage.usage_rollups WHERE period = 'day' AND agent = '' AND model = ''") == 1)
            #expect(try await app.count("SELECT sum(unique_users)::int FROM ai_usage.usage_rollups WHERE period = 'day' AND agent = '' AND model = ''") == 1)
            #expect(try await app.outboxCount("ai_usage.usage_recorded") == 1)
            // Overlapping batches in different orders: every record once, no deadlock surfaces.
            let batches = (0..<8).map { shift in
                "[" + (0..<40).map { UsageJSON.record("o-\(($0 + shift * 5) % 40)", prompt: ($0 + shift * 5) % 40) }.joined(separator: ",") + "]"
            }
            let batchStatuses = try await withThrowingTaskGroup(of: Int.self) { group in
                for batch in batches { group.addTask { Int(try await app.call(.post, "/v1/usage", service, json: batch).0.code) } }
                return try await group.reduce(into: [Int]()) { $0.append($1) }
            }
            #expect(batchStatuses.allSatisfy { $0 == 200 || $0 == 201 })
            #expect(try await app.count("SELECT count(*)::int FROM ai_usage.usage_records WHERE request_id LIKE 'o-%'") == 40)
            #expect(try await app.count("SELECT sum(requests)::int FROM ai_usage.usage_rollups WHERE period = 'month' AND agent = '' AND model = ''") == 41)
        }
    }

    @Test func persianAndRussianThreadIdsRoundTrip() async throws {
        try await AIUsageHarness.with { app in
            let thread = "گفت‌وگو-۱ / диалог №1"
            let (status, _) = try await app.call(.post, "/v1/usage", try await app.headers(.service),
                                                  json: UsageJSON.record("fa-ru", prompt: 10, thread: thread))
            #expect(status == .created)
            let (_, listed) = try await app.call(.get, "/v1/usage?thread_id=\(thread.addingPercentEncoding(withAllowedCharacters: CharacterSet(charactersIn: "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_")) ?? "")",
                                                 try await app.headers(.admin))
            #expect((listed["items"] as? [[String: Any]])?.first?["thread_id"] as? String == thread)
        }
    }
}
}
