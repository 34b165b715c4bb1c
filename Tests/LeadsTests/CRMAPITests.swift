import Foundation
import Testing

/// The CRM sync endpoints: who may use them and what bad input gets (no CRM configured, so
/// leads stay pending).
@Suite struct CRMAPITests {
    @Test func leadsWaitAsPendingAndStaffSeeTheBacklog() async throws {
        try await LeadsHarness.with { app in
            let first = try await app.lead(#"{"email": "one@example.com"}"#)
            let second = try await app.lead(#"{"name": "Зоя", "phone": "+7 701 000 1122"}"#)
            let manager = try await app.headers(.salesManager)
            #expect(try await app.crmState(first)["status"] as? String == "pending")
            let (status, overview) = try await app.call(.get, "/v1/crm/sync?status=pending&limit=1", manager)
            #expect(status == .ok && (overview["counts"] as? [String: Int]) == ["pending": 2, "syncing": 0, "failed": 0])
            let page = overview["items"] as? [[String: Any]] ?? []
            #expect(page.count == 1 && page.first?["lead_id"] as? String == second, "most recently changed first")
            let cursor = try #require(overview["next_cursor"] as? String)
            let (_, next) = try await app.call(.get, "/v1/crm/sync?status=pending&limit=1&cursor=\(cursor)", manager)
            #expect((next["items"] as? [[String: Any]])?.first?["lead_id"] as? String == first && next["next_cursor"] == nil)
            let (requeued, view) = try await app.call(.post, "/v1/leads/\(first)/crm/sync", manager)
            #expect(requeued == .accepted && view["status"] as? String == "pending" && view["lead_id"] as? String == first)
        }
    }

    @Test func badInputAndStrangersAreRefused() async throws {
        try await LeadsHarness.with { app in
            let lead = try await app.lead(#"{"email": "guarded@example.com"}"#)
            let admin = try await app.headers(.admin)
            #expect(try await app.call(.post, "/v1/leads/\(lead)/crm/sync").0 == .unauthorized)
            #expect(try await app.call(.post, "/v1/leads/\(lead)/crm/sync", try await app.headers(.student)).0 == .forbidden)
            #expect(try await app.call(.get, "/v1/crm/sync", try await app.headers(.student)).0 == .forbidden)
            let (badID, problem) = try await app.call(.post, "/v1/leads/not-a-uuid/crm/sync", admin)
            #expect(badID == .badRequest && LeadsHarness.fields(problem) == ["lead_id"])
            #expect(try await app.call(.post, "/v1/leads/\(UUID())/crm/sync", admin).0 == .notFound)
            let (badStatus, statusProblem) = try await app.call(.get, "/v1/crm/sync?status=lost", admin)
            #expect(badStatus == .badRequest && LeadsHarness.fields(statusProblem) == ["status"])
            let (badLimit, limitProblem) = try await app.call(.get, "/v1/crm/sync?limit=0", admin)
            #expect(badLimit == .badRequest && LeadsHarness.fields(limitProblem) == ["limit"])
            #expect(try await app.call(.get, "/v1/crm/sync?cursor=@@@", admin).0 == .badRequest)
        }
    }
}
