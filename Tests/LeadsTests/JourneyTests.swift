import Foundation
import Hummingbird
import LyceumTestSupport
import ServiceKit
import Testing

/// A lead's journey: append-only stages, read back in order with the lead.
@Suite struct JourneyTests {
    func capture(_ app: LeadsHarness, _ email: String) async throws -> String {
        let (_, body) = try await app.call(.post, "/v1/leads", json: #"{"email": "\#(email)"}"#)
        return try #require((body["lead"] as? [String: Any])?["id"] as? String)
    }

    /// Entries of one new stage posted at once: the lead is locked, so exactly one is the first.
    @Test func concurrentEntriesOfANewStageHaveExactlyOneFirst() async throws {
        try await LeadsHarness.with { app in
            let service = try await app.headers(.service)
            let id = try await capture(app, "race@example.com")
            let statuses = try await withThrowingTaskGroup(of: HTTPResponse.Status.self) { group in
                for _ in 0..<10 {
                    group.addTask { try await app.call(.post, "/v1/leads/\(id)/journey", service, json: #"{"stage": "payment_card"}"#).0 }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(statuses.allSatisfy { $0 == .created }, "\(statuses.map(\.code))")
            #expect(try await app.count("""
                SELECT count(*)::int FROM leads.outbox WHERE type = 'leads.journey_stage_reached' AND (payload->>'first_time')::boolean
                """) == 1)
        }
    }

    @Test func stagesAreAppendedAndReadInOrderWithTheLead() async throws {
        try await LeadsHarness.with(["LEADS_JOURNEY_STAGES": "webinar_attended, consultation_booked"]) { app in
            let manager = try await app.headers(.salesManager), service = try await app.headers(.service)
            let id = try await capture(app, "journey@example.com")
            var (status, entry) = try await app.call(.post, "/v1/leads/\(id)/journey", json: """
                {"stage": "proftest_submitted", "source": "proftest_arystan", "metadata": {"answers": [1, 2, {"q": "Кем быть?"}], "score": 7.5, "passed": true, "note": null}}
                """)
            #expect(status == .created, "\(entry)")
            #expect(entry["lead_id"] as? String == id && entry["stage"] as? String == "proftest_submitted")
            (status, entry) = try await app.call(.post, "/v1/leads/\(id)/journey", json: #"{"stage": "webinar_attended"}"#)
            #expect(status == .created, "a configured stage: \(entry)")
            (status, entry) = try await app.call(.post, "/v1/leads/\(id)/journey", service,
                                                 json: #"{"stage": "payment_kaspi", "source": "learning", "occurred_at": "2026-01-01T10:00:00Z"}"#)
            #expect(status == .created, "\(entry)")
            #expect(try await app.call(.post, "/v1/leads/\(id)/journey", json: #"{"stage": "proftest_submitted"}"#).0 == .created)

            let (_, lead) = try await app.call(.get, "/v1/leads/\(id)", manager)
            let journey = try #require(lead["journey"] as? [[String: Any]])
            #expect(journey.map { $0["stage"] as? String ?? "" } == ["payment_kaspi", "proftest_submitted", "webinar_attended", "proftest_submitted"],
                    "ordered by occurred_at")
            let proftest = journey[1]
            #expect(proftest["source"] as? String == "proftest_arystan")
            let metadata = try #require(proftest["metadata"] as? [String: Any])
            #expect(metadata["score"] as? Double == 7.5 && metadata["passed"] as? Bool == true)
            #expect(((metadata["answers"] as? [Any])?[2] as? [String: Any])?["q"] as? String == "Кем быть?")

            #expect(try await app.outboxCount("leads.journey_stage_reached") == 4)
            #expect(try await app.count("""
                SELECT count(*)::int FROM leads.outbox WHERE type = 'leads.journey_stage_reached' AND (payload->>'first_time')::boolean
                """) == 3, "the second proftest_submitted is not a first time")
            #expect(try await app.count("""
                SELECT count(*)::int FROM leads.outbox WHERE type = 'leads.journey_stage_reached' AND actor IS NOT NULL
                """) == 1, "only the service's entry has an actor")
        }
    }

    @Test func badEntriesAre4xxNamingTheFieldAndUnknownLeads404() async throws {
        try await LeadsHarness.with { app in
            let id = try await capture(app, "bad-journey@example.com")
            let student = try await app.headers(.student)
            let cases: [(String, String)] = [
                (#"{"stage": "teleported"}"#, "stage"),
                (#"{"stage": "webinar_attended"}"#, "stage"),
                (#"{"stage": "payment_card", "source": "\#(String(repeating: "s", count: 101))"}"#, "source"),
                (#"{"stage": "payment_card", "metadata": {"blob": "\#(String(repeating: "x", count: 9000))"}}"#, "metadata"),
                (#"{"stage": "payment_card", "metadata": {"nul": "a\u0000b"}}"#, "metadata"),
                (#"{"stage": "payment_card", "occurred_at": "2999-01-01T00:00:00Z"}"#, "occurred_at"),
            ]
            for (body, field) in cases {
                let (status, problem) = try await app.call(.post, "/v1/leads/\(id)/journey", json: body)
                #expect(status == .unprocessableContent && LeadsHarness.fields(problem).contains(field), "\(field): \(problem)")
            }
            for (body, field) in [(#"{"source": "x"}"#, "stage"), (#"{"stage": 3}"#, "stage"), (#"{"stage": "payment_card", "occurred_at": "soon"}"#, "occurred_at")] {
                let (status, problem) = try await app.call(.post, "/v1/leads/\(id)/journey", json: body)
                #expect(status == .badRequest && LeadsHarness.fields(problem).contains(field), "\(body): \(problem)")
            }
            #expect(try await app.call(.post, "/v1/leads/\(UUID())/journey", json: #"{"stage": "payment_card"}"#).0 == .notFound)
            #expect(try await app.call(.post, "/v1/leads/nope/journey", json: #"{"stage": "payment_card"}"#).0 == .badRequest)
            #expect(try await app.call(.post, "/v1/leads/\(id)/journey", student, json: #"{"stage": "payment_card"}"#).0 == .forbidden)
            #expect(try await app.count("SELECT count(*)::int FROM leads.lead_journey") == 0)
            #expect(try await app.outboxCount("leads.journey_stage_reached") == 0)
        }
    }
}
