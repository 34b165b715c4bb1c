import Foundation
import Testing

/// `POST /v1/users/{id}/xp/awards`: admins' awards and corrections.
@Suite struct ManualAwardTests {
    @Test func awardsAndCorrectionsAreRecordedOncePerIdWithTheirReason() async throws {
        try await GamificationHarness.with { app in
            let admin = try await app.headers(.admin), learner = UUID(), id = UUID()
            let body = #"{"id": "\#(id)", "amount": 150, "reason": "Победитель олимпиады · برنده"}"#
            let (created, award) = try await app.call(.post, "/v1/users/\(learner)/xp/awards", admin, json: body)
            #expect(created == .created && award["total_xp"] as? Int == 150 && award["level"] as? Int == 2, "\(award)")
            #expect(award["reason"] as? String == "Победитель олимпиады · برنده")
            let (repeated, again) = try await app.call(.post, "/v1/users/\(learner)/xp/awards", admin, json: body)
            #expect(repeated == .ok && again["total_xp"] as? Int == 150)
            let (conflict, problem) = try await app.call(.post, "/v1/users/\(learner)/xp/awards", admin,
                                                         json: #"{"id": "\#(id)", "amount": 151, "reason": "other"}"#)
            #expect(conflict == .conflict && (problem["errors"] as? [[String: Any]])?.first?["field"] as? String == "id")

            let (_, corrected) = try await app.call(.post, "/v1/users/\(learner)/xp/awards", admin, json: #"{"amount": -40, "reason": "typo"}"#)
            #expect(corrected["total_xp"] as? Int == 110)
            let (below, _) = try await app.call(.post, "/v1/users/\(learner)/xp/awards", admin, json: #"{"amount": -111, "reason": "too much"}"#)
            #expect(below == .conflict)
            let (_, reputation) = try await app.call(.post, "/v1/users/\(learner)/xp/awards", admin,
                                                     json: #"{"amount": 7, "currency": "reputation", "reason": "helpful answer"}"#)
            #expect(reputation["reputation"] as? Int == 7 && reputation["total_xp"] as? Int == 110)
            #expect(try await app.count("SELECT count(*)::int FROM gamification.xp_ledger WHERE kind = 'manual'") == 3)
            #expect(try await app.count("SELECT count(*)::int FROM gamification.outbox WHERE type = 'gamification.xp_awarded'") == 3)
            let (_, xp) = try await app.call(.get, "/v1/users/\(learner)/xp", try await app.headers(.student, user: learner))
            #expect(xp["total_xp"] as? Int == 110 && xp["reputation"] as? Int == 7 && xp["xp_into_level"] as? Int == 10 && xp["xp_to_next_level"] as? Int == 90)
            // Manual awards and corrections count on the leaderboards like any XP (reputation does not).
            let (_, standing) = try await app.call(.get, "/v1/leaderboards/all_time/users/\(learner)", admin)
            #expect(standing["xp"] as? Int == 110 && standing["rank"] as? Int == 1, "\(standing)")
        }
    }

    @Test func badAwardsAreProblemsNamingTheField() async throws {
        try await GamificationHarness.with { app in
            let admin = try await app.headers(.admin), learner = UUID()
            for (body, field) in [(#"{"amount": 0, "reason": "x"}"#, "amount"), (#"{"amount": 100001, "reason": "x"}"#, "amount"),
                                  (#"{"amount": "5", "reason": "x"}"#, "amount"), (#"{"amount": 5}"#, "reason"),
                                  (#"{"amount": 5, "reason": "   "}"#, "reason"), (#"{"amount": 5, "reason": "x", "currency": "gold"}"#, "currency"),
                                  (#"{"amount": 5, "reason": "x", "id": "nope"}"#, "id")] {
                let (status, problem) = try await app.call(.post, "/v1/users/\(learner)/xp/awards", admin, json: body)
                let fields = (problem["errors"] as? [[String: Any]])?.compactMap { $0["field"] as? String } ?? []
                #expect(status == .badRequest && fields.contains(field), "\(body): \(problem)")
            }
            #expect(try await app.call(.post, "/v1/users/\(learner)/xp/awards", admin).0 == .badRequest)
            #expect(try await app.call(.post, "/v1/users/x/xp/awards", admin, json: #"{"amount": 5, "reason": "x"}"#).0 == .badRequest)
            #expect(try await app.call(.post, "/v1/users/\(learner)/xp/awards", try await app.headers(.student, user: learner),
                                       json: #"{"amount": 5, "reason": "x"}"#).0 == .forbidden)
            #expect(try await app.count("SELECT count(*)::int FROM gamification.xp_ledger") == 0)
        }
    }
}
