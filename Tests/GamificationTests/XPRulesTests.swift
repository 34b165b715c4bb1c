import Contracts
import Foundation
import ServiceKit
import Testing

/// XP rules changed by admins, and recomputing earlier awards under them.
@Suite struct XPRulesTests {
    func total(_ app: GamificationHarness, _ user: UUID) async throws -> Int? {
        try await app.call(.get, "/v1/users/\(user)/xp", try await app.headers(.admin)).1["total_xp"] as? Int
    }

    @Test func aRuleChangeAppliesFromThenOnAndARecomputeCompensatesOnceUnderItsPolicy() async throws {
        try await GamificationHarness.with { app in
            let admin = try await app.headers(.admin)
            let (_, rules) = try await app.call(.get, "/v1/rules")
            let amounts = (rules["items"] as? [[String: Any]] ?? []).reduce(into: [String: Int]()) { $0[$1["event_type"] as? String ?? ""] = $1["amount"] as? Int }
            #expect(amounts == ["learning.lesson_completed": 50, "learning.course_completed": 200, "learning.quiz_passed": 25,
                                "learning.assignment_graded": 50])

            let ana = UUID(), ben = UUID()
            try await app.completeLesson(ana)
            try await app.completeLesson(ana, xpReward: 70)  // the lesson's own reward wins over any rule
            try await app.completeLesson(ben)
            try await app.settled()
            #expect(try await total(app, ana) == 120)
            #expect(try await total(app, ben) == 50)

            let (set, rule) = try await app.call(.put, "/v1/rules/learning.lesson_completed", admin, json: #"{"amount": 80}"#)
            #expect(set == .ok && rule["amount"] as? Int == 80 && rule["reason"] as? String == "lesson completed", "\(rule)")
            try await app.completeLesson(ben)
            try await app.settled()
            #expect(try await total(app, ben) == 130)  // 50 before the change, 80 after

            let (_, dry) = try await app.call(.post, "/v1/rules/recompute", admin, json: #"{"policy": "never_take_away"}"#)
            #expect(dry["applied"] as? Bool == false && dry["entries"] as? Int == 2 && dry["learners"] as? Int == 2 && dry["xp_delta"] as? Int == 60, "\(dry)")
            #expect(try await total(app, ana) == 120)  // a dry run changes nothing
            let (_, applied) = try await app.call(.post, "/v1/rules/recompute", admin, json: #"{"policy": "never_take_away", "apply": true}"#)
            #expect(applied["applied"] as? Bool == true && applied["entries"] as? Int == 2 && applied["recompute_id"] is String, "\(applied)")
            #expect(try await total(app, ana) == 150)
            #expect(try await total(app, ben) == 160)
            let (_, again) = try await app.call(.post, "/v1/rules/recompute", admin, json: #"{"policy": "claw_back", "apply": true}"#)
            #expect(again["entries"] as? Int == 0, "\(again)")

            // Lower the rule: never_take_away keeps what was given, claw_back takes the difference back.
            #expect(try await app.call(.put, "/v1/rules/learning.lesson_completed", admin, json: #"{"amount": 10}"#).0 == .ok)
            let (_, kept) = try await app.call(.post, "/v1/rules/recompute", admin, json: #"{"policy": "never_take_away", "apply": true}"#)
            #expect(kept["entries"] as? Int == 0)
            let (_, clawed) = try await app.call(.post, "/v1/rules/recompute", admin, json: #"{"policy": "claw_back", "apply": true}"#)
            #expect(clawed["entries"] as? Int == 3 && clawed["xp_delta"] as? Int == -210, "\(clawed)")
            #expect(try await total(app, ana) == 80)
            #expect(try await total(app, ben) == 20)
            #expect(try await app.count("SELECT count(*)::int FROM gamification.xp_ledger WHERE kind = 'compensation'") == 5)
            #expect(try await app.count("SELECT count(*)::int FROM gamification.recomputes") == 4)  // applied runs, with or without changes
            // The ledger and the totals agree.
            #expect(try await app.count("""
                SELECT count(*)::int FROM gamification.user_xp u
                WHERE total_xp <> (SELECT sum(amount) FROM gamification.xp_ledger l WHERE l.user_id = u.user_id AND currency = 'xp')
                """) == 0)
        }
    }

    @Test func rulesAreAdminsAndBadRulesAreProblems() async throws {
        try await GamificationHarness.with { app in
            let admin = try await app.headers(.admin)
            for (uri, body, field) in [("/v1/rules/learning.lesson_completed", #"{"amount": -1}"#, "amount"),
                                       ("/v1/rules/learning.lesson_completed", #"{"amount": "ten"}"#, "amount"),
                                       ("/v1/rules/learning.lesson_completed", #"{"amount": 5, "reason": "\#(String(repeating: "ж", count: 201))"}"#, "reason"),
                                       ("/v1/rules/learning.enrollment_created", #"{"amount": 5}"#, "event_type"),
                                       ("/v1/rules/recompute", #"{"policy": "maybe"}"#, "policy"),
                                       ("/v1/rules/recompute", #"{}"#, "policy")] {
                let (status, problem) = try await app.call(uri.hasSuffix("recompute") ? .post : .put, uri, admin, json: body)
                let fields = (problem["errors"] as? [[String: Any]])?.compactMap { $0["field"] as? String } ?? []
                #expect(status == .badRequest && fields.contains(field), "\(uri) \(body): \(problem)")
            }
            for role in [Role.student, .curator] {
                let headers = try await app.headers(role)
                #expect(try await app.call(.put, "/v1/rules/learning.quiz_passed", headers, json: #"{"amount": 5}"#).0 == .forbidden)
                #expect(try await app.call(.post, "/v1/rules/recompute", headers, json: #"{"policy": "claw_back"}"#).0 == .forbidden)
            }
            #expect(try await app.call(.post, "/v1/rules/recompute", json: #"{"policy": "claw_back"}"#).0 == .unauthorized)
            let (_, rule) = try await app.call(.put, "/v1/rules/learning.quiz_passed", admin, json: #"{"amount": 0, "active": false}"#)
            #expect(rule["active"] as? Bool == false && rule["amount"] as? Int == 0)
        }
    }
}
