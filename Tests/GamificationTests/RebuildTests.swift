import Contracts
import Foundation
import Gamification
import LyceumTestSupport
import Testing

/// `lyceum gamification rebuild`: every aggregate recomputed from the ledger and the events.
@Suite struct RebuildTests {
    @Test func aBurstLeavesNothingToRebuildAndADriftIsFoundAndFixed() async throws {
        try await GamificationHarness.with { app in
            let learners = (0..<12).map { _ in UUID() }
            let admin = try await app.headers(.admin)
            let id = try #require(try await app.call(.post, "/v1/achievements", admin, json: """
                {"code": "five", "title": "Five", "condition": {"type": "lessons_completed", "value": 5}, "xp_reward": 20}
                """).1["id"] as? String)
            _ = try await app.call(.post, "/v1/achievements/\(id)/activate", admin, json: #"{"dry_run": false}"#)
            try await withThrowingTaskGroup(of: Void.self) { group in
                for (index, learner) in learners.enumerated() {
                    group.addTask {
                        // Days out of order: late events, frozen days turned active, runs joined.
                        for n in 0..<(3 + index % 5) {
                            try await app.completeLesson(learner, at: Date() - Double(n * 2 % 7) * 86_400, xpReward: n % 2 == 0 ? nil : 15)
                        }
                        try await app.emit(QuizPassed(userId: learner, quizId: UUID(), lessonId: UUID(), courseId: UUID(), attemptId: UUID(),
                                                      attemptNumber: 1, score: 5, maxScore: 5, percentage: 100, passedAt: Date()), user: learner)
                    }
                }
                try await group.waitForAll()
            }
            try await app.settled()
            _ = try await app.call(.post, "/v1/users/\(learners[0])/xp/awards", admin, json: #"{"amount": 30, "currency": "reputation", "reason": "help"}"#)
            let rebuild = GamificationRebuild(database: app.database, logger: TestPostgres.logger)
            let clean = try await rebuild.run(apply: false)
            #expect(clean.allSatisfy { $0.differences == 0 }, "\(clean)")
            #expect(clean.count >= 4)

            try await app.database.query("UPDATE gamification.user_xp SET total_xp = total_xp + 7, level = 99 WHERE user_id = \(learners[3])")
            try await app.database.query("UPDATE gamification.learner_counters SET lessons_completed = 0 WHERE user_id = \(learners[4])")
            try await app.database.query("UPDATE gamification.achievements SET holders = holders + 3")
            try await app.database.query("""
                UPDATE gamification.leaderboard_scores SET xp = xp + 1
                WHERE user_id = \(learners[5]) AND period = 'all_time' AND course_id = '00000000-0000-0000-0000-000000000000'
                """)
            try await app.database.query("""
                DELETE FROM gamification.streak_days WHERE user_id = \(learners[6])
                  AND day = (SELECT max(day) FROM gamification.streak_days WHERE user_id = \(learners[6]) AND kind = 'active')
                """)
            try await app.database.query("UPDATE gamification.user_streaks SET longest_streak = 40 WHERE user_id = \(learners[7])")
            let drift = try await rebuild.run(apply: true)
            #expect(drift.map(\.name) == ["XP and reputation totals", "levels", "learner counters", "achievement holders",
                                          "streak days", "streaks", "leaderboard scores", "leaderboard rank counts"])
            #expect(drift.map(\.differences) == [1, 1, 1, 1, 1, 1, 1, 0], "\(drift)")
            #expect(drift[0].samples == [learners[3].uuidString.lowercased()])
            let after = try await rebuild.run(apply: false)
            #expect(after.allSatisfy { $0.differences == 0 }, "\(after)")
        }
    }
}
