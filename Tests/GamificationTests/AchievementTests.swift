import Contracts
import Foundation
import Testing

/// Achievements: unlocked once, retroactively on activation, secret until earned, revocable.
@Suite struct AchievementTests {
    func create(_ app: GamificationHarness, _ body: String) async throws -> String {
        let (status, created) = try await app.call(.post, "/v1/achievements", try await app.headers(.admin), json: body)
        #expect(status == .created, "\(created)")
        return try #require(created["id"] as? String)
    }

    func activate(_ app: GamificationHarness, _ id: String, dryRun: Bool) async throws -> [String: Any] {
        try await app.call(.post, "/v1/achievements/\(id)/activate", try await app.headers(.admin), json: #"{"dry_run": \#(dryRun)}"#).1
    }

    func waitForBackfill(_ app: GamificationHarness, _ id: String) async throws {
        for _ in 0..<200 {
            if try await app.count("SELECT count(*)::int FROM gamification.achievements WHERE id = '\(id)' AND backfill = 'done'") == 1 { return }
            try await Task.sleep(for: .milliseconds(50))
        }
        Issue.record("the backfill of \(id) did not finish")
    }

    @Test func aRewardThatReachesATotalXPAchievementUnlocksThatToo() async throws {
        try await GamificationHarness.with { app in
            // A lesson gives 50; the first achievement's reward takes its learner to 150, past the second's 120.
            for body in [#"{"code": "first-lesson", "title": "First lesson", "condition": {"type": "lessons_completed", "value": 1}, "xp_reward": 100}"#,
                         #"{"code": "hundred-twenty", "title": "120 XP", "condition": {"type": "total_xp", "value": 120}, "xp_reward": 5}"#] {
                _ = try await activate(app, try await create(app, body), dryRun: false)
            }
            let learner = UUID(), other = UUID()
            try await app.completeLesson(learner)
            try await app.completeLesson(other, xpReward: 10)
            try await app.settled()
            #expect(try await app.count("""
                SELECT count(*)::int FROM gamification.achievement_unlocks x JOIN gamification.achievements a ON a.id = x.achievement_id
                WHERE x.user_id = '\(learner)' AND a.code IN ('first-lesson', 'hundred-twenty')
                """) == 2)
            #expect(try await app.count("SELECT total_xp::int FROM gamification.user_xp WHERE user_id = '\(learner)'") == 155)
            // 10 + 100 = 110: the first only.
            #expect(try await app.count("SELECT count(*)::int FROM gamification.achievement_unlocks WHERE user_id = '\(other)'") == 1)
            #expect(try await app.count("SELECT total_xp::int FROM gamification.user_xp WHERE user_id = '\(other)'") == 110)
        }
    }

    @Test func anAchievementUnlocksOnceWithItsXPAndShowsProgress() async throws {
        try await GamificationHarness.with { app in
            let id = try await create(app, """
                {"code": "first-steps", "title": "Первые шаги · گام اول", "rarity": "common", "category": "milestone",
                 "condition": {"type": "lessons_completed", "value": 2}, "xp_reward": 10}
                """)
            _ = try await activate(app, id, dryRun: false)
            let learner = UUID(), own = try await app.headers(.student, user: learner)
            try await app.completeLesson(learner)
            try await app.settled()
            let (_, before) = try await app.call(.get, "/v1/users/\(learner)/achievements", own)
            let progress = try #require((before["items"] as? [[String: Any]])?.first)
            #expect(progress["current"] as? Int == 1 && progress["required"] as? Int == 2 && progress["unlocked_at"] == nil, "\(progress)")
            for _ in 0..<3 { try await app.completeLesson(learner) }
            try await app.settled()
            let (_, after) = try await app.call(.get, "/v1/users/\(learner)/achievements", own)
            let unlocked = try #require((after["items"] as? [[String: Any]])?.first)
            #expect(unlocked["unlocked_at"] is String && (unlocked["achievement"] as? [String: Any])?["title"] as? String == "Первые шаги · گام اول")
            #expect(try await app.count("SELECT count(*)::int FROM gamification.outbox WHERE type = 'gamification.achievement_unlocked'") == 1)
            let (_, xp) = try await app.call(.get, "/v1/users/\(learner)/xp", own)
            #expect(xp["total_xp"] as? Int == 210)  // four lessons and the reward, once
            let (_, listed) = try await app.call(.get, "/v1/achievements/\(id)")
            #expect(listed["holders"] as? Int == 1 && listed["holders_share"] as? Double == 1.0, "\(listed)")
        }
    }

    @Test func activationAwardsExistingLearnersExactlyOnceAfterADryRun() async throws {
        try await GamificationHarness.with { app in
            let learners = (0..<5).map { _ in UUID() }
            for (index, learner) in learners.enumerated() {
                for _ in 0..<index { try await app.completeLesson(learner) }
            }
            try await app.settled()
            let id = try await create(app, #"{"code": "three", "title": "Three", "condition": {"type": "lessons_completed", "value": 3}, "xp_reward": 5}"#)
            let dry = try await activate(app, id, dryRun: true)
            #expect(dry["qualifying_learners"] as? Int == 2 && (dry["achievement"] as? [String: Any])?["active"] as? Bool == false, "\(dry)")
            #expect(try await app.count("SELECT count(*)::int FROM gamification.achievement_unlocks") == 0)
            _ = try await activate(app, id, dryRun: false)
            try await waitForBackfill(app, id)
            _ = try await activate(app, id, dryRun: false)  // already active: nothing more
            try await app.completeLesson(learners[2])  // the third qualifies through the pipeline
            try await app.settled()
            #expect(try await app.count("SELECT count(*)::int FROM gamification.achievement_unlocks") == 3)
            #expect(try await app.count("SELECT count(*)::int FROM gamification.outbox WHERE type = 'gamification.achievement_unlocked'") == 3)
            #expect(try await app.count("SELECT count(*)::int FROM gamification.xp_ledger WHERE rule = 'achievement:three'") == 3)
            #expect(try await app.holders("code = 'three'") == 3)
        }
    }

    @Test func aStreakDaysAchievementCountsTheLongestRunLiveAndOnActivation() async throws {
        try await GamificationHarness.with { app in
            let day: Double = 86_400, now = Date()
            let veteran = UUID(), newcomer = UUID(), learner = UUID()
            // The veteran's three-day run ended long ago: it still counts.
            for back in [30.0, 29, 28] { try await app.completeLesson(veteran, at: now - back * day) }
            try await app.completeLesson(newcomer, at: now - day)
            try await app.settled()
            let id = try await create(app, #"{"code": "three-days", "title": "Три дня", "condition": {"type": "streak_days", "value": 3}, "xp_reward": 0}"#)
            let dry = try await activate(app, id, dryRun: true)
            #expect(dry["qualifying_learners"] as? Int == 1, "\(dry)")
            _ = try await activate(app, id, dryRun: false)
            try await waitForBackfill(app, id)
            #expect(try await app.count("SELECT count(*)::int FROM gamification.achievement_unlocks WHERE user_id = '\(veteran)'") == 1)
            for back in [2.0, 1] { try await app.completeLesson(learner, at: now - back * day) }
            try await app.settled()
            #expect(try await app.count("SELECT count(*)::int FROM gamification.achievement_unlocks WHERE user_id = '\(learner)'") == 0)
            try await app.completeLesson(learner, at: now)
            try await app.settled()
            let (_, standing) = try await app.call(.get, "/v1/users/\(learner)/achievements", try await app.headers(.student, user: learner))
            let item = try #require((standing["items"] as? [[String: Any]])?.first)
            #expect(item["current"] as? Int == 3 && item["unlocked_at"] is String, "\(item)")
            #expect(try await app.count("SELECT count(*)::int FROM gamification.achievement_unlocks") == 2)
        }
    }

    @Test func secretsStayHiddenUntilEarnedAndRevocationKeepsTheReason() async throws {
        try await GamificationHarness.with { app in
            let admin = try await app.headers(.admin)
            let id = try await create(app, #"{"code": "night-owl", "title": "Night owl", "secret": true, "condition": {"type": "total_xp", "value": 50}}"#)
            _ = try await activate(app, id, dryRun: false)
            let learner = UUID(), own = try await app.headers(.student, user: learner)
            let (_, publicList) = try await app.call(.get, "/v1/achievements")
            #expect((publicList["items"] as? [[String: Any]])?.isEmpty == true)
            #expect(try await app.call(.get, "/v1/achievements/\(id)").0 == .notFound)
            let (_, hidden) = try await app.call(.get, "/v1/users/\(learner)/achievements", own)
            #expect((hidden["items"] as? [[String: Any]])?.isEmpty == true)
            try await app.completeLesson(learner)
            try await app.settled()
            let (_, earned) = try await app.call(.get, "/v1/users/\(learner)/achievements", own)
            #expect((earned["items"] as? [[String: Any]])?.count == 1)

            let uri = "/v1/users/\(learner)/achievements/\(id)/revoke"
            let (revokedStatus, revokeBody) = try await app.call(.post, uri, admin, json: #"{"reason": "  обман · تقلب  "}"#)
            #expect(revokedStatus == .noContent, "\(revokeBody)")
            #expect(try await app.call(.post, uri, admin, json: #"{"reason": "again"}"#).0 == .noContent)
            let (_, revoked) = try await app.call(.get, "/v1/users/\(learner)/achievements", own)
            let item = try #require((revoked["items"] as? [[String: Any]])?.first)
            #expect(item["revoke_reason"] as? String == "обман · تقلب" && item["revoked_at"] is String, "\(item)")
            #expect(try await app.holders("id = '\(id)'") == 0)
            #expect(try await app.call(.post, "/v1/users/\(UUID())/achievements/\(id)/revoke", admin, json: #"{"reason": "x"}"#).0 == .notFound)
            #expect(try await app.call(.post, uri, admin, json: #"{"reason": " "}"#).0 == .badRequest)
            #expect(try await app.call(.post, uri, own, json: #"{"reason": "mine"}"#).0 == .forbidden)
        }
    }

    @Test func badDefinitionsAreProblemsNamingTheField() async throws {
        try await GamificationHarness.with { app in
            let admin = try await app.headers(.admin)
            for (body, field) in [(#"{"title": "T", "condition": {"type": "lessons_completed", "value": 1}}"#, "code"),
                                  (#"{"code": "Bad Code", "title": "T", "condition": {"type": "lessons_completed", "value": 1}}"#, "code"),
                                  (#"{"code": "ok", "condition": {"type": "lessons_completed", "value": 1}}"#, "title"),
                                  (#"{"code": "ok", "title": "T"}"#, "condition"),
                                  (#"{"code": "ok", "title": "T", "condition": {"type": "logins", "value": 1}}"#, "condition.type"),
                                  (#"{"code": "ok", "title": "T", "condition": {"type": "lessons_completed", "value": 0}}"#, "condition.value"),
                                  (#"{"code": "ok", "title": "T", "rarity": "mythic", "condition": {"type": "lessons_completed", "value": 1}}"#, "rarity"),
                                  (#"{"code": "ok", "title": "T", "xp_reward": -5, "condition": {"type": "lessons_completed", "value": 1}}"#, "xp_reward")] {
                let (status, problem) = try await app.call(.post, "/v1/achievements", admin, json: body)
                let fields = (problem["errors"] as? [[String: Any]])?.compactMap { $0["field"] as? String } ?? []
                #expect(status == .badRequest && fields.contains(field), "\(body): \(problem)")
            }
            let body = #"{"code": "dup", "title": "T", "condition": {"type": "courses_completed", "value": 1}}"#
            let id = try await create(app, body)
            #expect(try await app.call(.post, "/v1/achievements", admin, json: body).0 == .conflict)
            #expect(try await app.call(.post, "/v1/achievements", try await app.headers(.curator), json: body).0 == .forbidden)
            _ = try await activate(app, id, dryRun: false)
            let (changed, problem) = try await app.call(.patch, "/v1/achievements/\(id)", admin, json: #"{"condition": {"type": "courses_completed", "value": 9}}"#)
            #expect(changed == .conflict, "\(problem)")
            #expect(try await app.call(.patch, "/v1/achievements/\(id)", admin, json: #"{"title": "Курс"}"#).1["title"] as? String == "Курс")
            #expect(try await app.call(.post, "/v1/achievements/\(UUID())/activate", admin).0 == .notFound)
        }
    }
}
