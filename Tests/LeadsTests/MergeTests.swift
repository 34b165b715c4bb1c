import Foundation
import Hummingbird
import LyceumTestSupport
import ServiceKit
import Testing

/// Merging two leads that are one person: the older survives with both journeys.
@Suite struct MergeTests {
    func capture(_ app: LeadsHarness, _ body: String) async throws -> String {
        let (_, answer) = try await app.call(.post, "/v1/leads", json: body)
        return try #require((answer["lead"] as? [String: Any])?["id"] as? String)
    }

    @Test func theOlderLeadSurvivesWithBothJourneysAndTheMergedOnePointsAtIt() async throws {
        try await LeadsHarness.with { app in
            let manager = try await app.headers(.salesManager), admin = try await app.headers(.admin)
            let older = try await capture(app, #"{"phone": "8 701 123 45 67", "name": "Айгерим", "metadata": {"utm_source": "google"}}"#)
            let newer = try await capture(app, #"{"email": "aigerim@example.com", "metadata": {"utm_source": "instagram"}}"#)
            #expect(try await app.call(.post, "/v1/leads/\(older)/journey", json: #"{"stage": "proftest_submitted"}"#).0 == .created)
            #expect(try await app.call(.post, "/v1/leads/\(newer)/journey", json: #"{"stage": "expresscourse_clicked"}"#).0 == .created)

            let (status, result) = try await app.call(.post, "/v1/leads/merge", manager, json: #"{"lead_ids": ["\#(newer)", "\#(older)"]}"#)
            #expect(status == .ok, "\(result)")
            #expect(result["merged_id"] as? String == newer && result["journey_moved"] as? Int == 1)
            let survivor = try #require(result["survivor"] as? [String: Any])
            #expect(survivor["id"] as? String == older && survivor["email"] as? String == "aigerim@example.com")
            #expect(survivor["phone_e164"] as? String == "+77011234567" && survivor["capture_count"] as? Int == 2)
            #expect(((survivor["first_touch"] as? [String: Any])?["metadata"] as? [String: Any])?["utm_source"] as? String == "google")
            #expect(((survivor["last_touch"] as? [String: Any])?["metadata"] as? [String: Any])?["utm_source"] as? String == "instagram")
            #expect((survivor["journey"] as? [[String: Any]])?.map { $0["stage"] as? String ?? "" } == ["proftest_submitted", "expresscourse_clicked"])

            let (_, merged) = try await app.call(.get, "/v1/leads/\(newer)", admin)
            #expect(merged["merged_into"] as? String == older && merged["merged_at"] != nil && (merged["journey"] as? [Any])?.isEmpty == true)
            // The merged lead's email now finds the survivor; a journey entry for it lands there.
            let (_, again) = try await app.call(.post, "/v1/leads", json: #"{"email": "AIGERIM@example.com"}"#)
            #expect(again["created"] as? Bool == false && (again["lead"] as? [String: Any])?["id"] as? String == older)
            let (_, entry) = try await app.call(.post, "/v1/leads/\(newer)/journey", json: #"{"stage": "payment_card"}"#)
            #expect(entry["lead_id"] as? String == older)
            // Listings show the survivor only.
            #expect((try await app.call(.get, "/v1/leads", admin).1["items"] as? [[String: Any]])?.compactMap { $0["id"] as? String } == [older])

            #expect(try await app.count("SELECT count(*)::int FROM leads.lead_merges WHERE merged_snapshot->>'email' = 'aigerim@example.com'") == 1)
            #expect(try await app.outboxCount("leads.lead_merged") == 1)
            let (conflict, problem) = try await app.call(.post, "/v1/leads/merge", admin, json: #"{"lead_ids": ["\#(newer)", "\#(older)"]}"#)
            #expect(conflict == .conflict && LeadsHarness.fields(problem) == ["lead_ids"], "\(problem)")
        }
    }

    @Test func aNamedSurvivorWinsAndEarlierMergesFollowIt() async throws {
        try await LeadsHarness.with { app in
            let admin = try await app.headers(.admin)
            let a = try await capture(app, #"{"email": "a@example.com"}"#)
            let b = try await capture(app, #"{"email": "b@example.com"}"#)
            let c = try await capture(app, #"{"email": "c@example.com"}"#)
            #expect(try await app.call(.post, "/v1/leads/merge", admin, json: #"{"lead_ids": ["\#(a)", "\#(b)"]}"#).0 == .ok)
            let (status, result) = try await app.call(.post, "/v1/leads/merge", admin, json: #"{"lead_ids": ["\#(a)", "\#(c)"], "survivor_id": "\#(c)"}"#)
            #expect(status == .ok && (result["survivor"] as? [String: Any])?["id"] as? String == c, "\(result)")
            #expect(try await app.call(.get, "/v1/leads/\(b)", admin).1["merged_into"] as? String == c, "b follows a into c")
            let (_, entry) = try await app.call(.post, "/v1/leads/\(b)/journey", json: #"{"stage": "payment_manager"}"#)
            #expect(entry["lead_id"] as? String == c)
        }
    }

    @Test func badMergesAreRefusedNamingTheField() async throws {
        try await LeadsHarness.with { app in
            let admin = try await app.headers(.admin)
            let a = try await capture(app, #"{"email": "a@example.com"}"#)
            let b = try await capture(app, #"{"email": "b@example.com"}"#)
            for (body, field) in [(#"{"lead_ids": ["\#(a)"]}"#, "lead_ids"), (#"{"lead_ids": ["\#(a)", "\#(a)"]}"#, "lead_ids"),
                                  (#"{"lead_ids": ["\#(a)", "\#(b)"], "survivor_id": "\#(UUID())"}"#, "survivor_id"),
                                  (#"{"lead_ids": ["\#(a)", "x"]}"#, "lead_ids[1]"), (#"{}"#, "lead_ids")] {
                let (status, problem) = try await app.call(.post, "/v1/leads/merge", admin, json: body)
                #expect(status == .badRequest && LeadsHarness.fields(problem).contains(field), "\(body): \(problem)")
            }
            let (missing, problem) = try await app.call(.post, "/v1/leads/merge", admin, json: #"{"lead_ids": ["\#(a)", "\#(UUID())"]}"#)
            #expect(missing == .notFound && LeadsHarness.fields(problem) == ["lead_ids"])
            #expect(try await app.call(.post, "/v1/leads/merge", json: #"{"lead_ids": ["\#(a)", "\#(b)"]}"#).0 == .unauthorized)
            #expect(try await app.call(.post, "/v1/leads/merge", try await app.headers(.student), json: #"{"lead_ids": ["\#(a)", "\#(b)"]}"#).0 == .forbidden)
            #expect(try await app.count("SELECT count(*)::int FROM leads.leads WHERE merged_into IS NOT NULL") == 0)
        }
    }
}
