@testable import Gamification
import Foundation
import LyceumTestSupport
import PostgresNIO
import Testing

/// Score counts and achievement holders written as moves (gamification `0013`) and folded in:
/// what readers see is the same before and after a fold, and folding never counts a move twice.
@Suite struct CountMovesTests {
    @Test func foldingMovesChangesNoRankAndNoHolderCount() async throws {
        try await GamificationHarness.with { app in
            try await app.database.query("""
                INSERT INTO gamification.achievements (id, code, title, condition_type, condition_value, active)
                VALUES (gen_random_uuid(), 'two-lessons', 'Two lessons', 'lessons_completed', 2, true)
                """)
            let day = instant("2026-03-04T10:00:00Z")
            let learners = (0..<12).map { _ in UUID() }
            for (index, user) in learners.enumerated() {
                for reward in [50, 10 * (index % 4)] { try await app.completeLesson(user, at: day, xpReward: reward) }
            }
            try await app.settled()
            let before = try await standings(app, learners)
            let holdersBefore = try await app.holders("code = 'two-lessons'")
            #expect(holdersBefore == 12)

            try await foldEverything(app)
            #expect(try await app.count("SELECT count(*)::int FROM gamification.leaderboard_count_moves") == 0)
            #expect(try await app.count("SELECT count(*)::int FROM gamification.achievement_holder_moves") == 0)
            #expect(try await app.count("SELECT holders FROM gamification.achievements WHERE code = 'two-lessons'") == 12)
            #expect(try await standings(app, learners) == before)
            #expect(try await app.aggregateMismatches(timeZone: "UTC") == 0)
        }
    }

    @Test func foldsRunningAtOnceCountEveryMoveOnce() async throws {
        try await GamificationHarness.with { app in
            let day = instant("2026-03-05T10:00:00Z")
            for index in 0..<40 { try await app.completeLesson(UUID(), at: day, xpReward: 10 * (index % 5 + 1)) }
            try await app.settled()
            // Without the job's turn lock, in batches of 3: each fold deletes moves another may be deleting too.
            try await withThrowingTaskGroup(of: Void.self) { group in
                for _ in 0..<4 {
                    group.addTask {
                        while try await app.count("SELECT gamification.fold_moves(3)") > 0 {}
                    }
                }
                try await group.waitForAll()
            }
            #expect(try await app.count("SELECT count(*)::int FROM gamification.leaderboard_count_moves") == 0)
            #expect(try await app.aggregateMismatches(timeZone: "UTC") == 0)
            #expect(try await app.count("""
                SELECT learners FROM gamification.leaderboard_score_counts
                WHERE period = 'daily' AND period_start = '2026-03-05' AND course_id = '00000000-0000-0000-0000-000000000000' AND xp = 30
                """) == 8)
        }
    }

    @Test func aRevocationFoldedWithItsUnlockLeavesNoHolder() async throws {
        try await GamificationHarness.with { app in
            let id = UUID(), learner = UUID()
            try await app.database.query("""
                INSERT INTO gamification.achievements (id, code, title, condition_type, condition_value, active)
                VALUES (\(id), 'first-lesson', 'First lesson', 'lessons_completed', 1, true)
                """)
            try await app.completeLesson(learner)
            try await app.settled()
            let admin = try await app.headers(.admin, user: UUID())
            let (status, body) = try await app.call(.post, "/v1/users/\(learner)/achievements/\(id)/revoke", admin, json: #"{"reason": "test"}"#)
            #expect(status == .noContent, "\(body)")
            #expect(try await app.holders("id = '\(id)'") == 0)
            try await foldEverything(app)
            #expect(try await app.count("SELECT holders FROM gamification.achievements WHERE id = '\(id)'") == 0)
        }
    }

    /// Folds until no move is left (the service's own job may hold the turn for a moment).
    private func foldEverything(_ app: GamificationHarness) async throws {
        let job = MoveFoldJob(database: app.database, logger: TestPostgres.logger)
        let deadline = ContinuousClock.now + .seconds(30)
        while ContinuousClock.now < deadline {
            try await job.foldAll()
            let left = try await app.count("""
                SELECT (SELECT count(*) FROM gamification.leaderboard_count_moves) + (SELECT count(*) FROM gamification.achievement_holder_moves)
                """)
            if left == 0 { return }
            try await Task.sleep(for: .milliseconds(50))
        }
        Issue.record("moves were still left after 30 s")
    }

    /// Every learner's daily and all-time standing: rank, learners above and below.
    private func standings(_ app: GamificationHarness, _ learners: [UUID]) async throws -> [String] {
        var lines: [String] = []
        for user in learners {
            for path in ["daily/users/\(user)?date=2026-03-04", "all_time/users/\(user)"] {
                let (_, standing) = try await app.board(path, as: user)
                lines.append("\(standing["rank"] ?? "-") \(standing["learners_above"] ?? "-") \(standing["learners_below"] ?? "-")")
            }
        }
        return lines
    }
}

extension GamificationHarness {
    /// An achievement's holders as readers see them (the folded count plus the moves), by a condition on `a`.
    func holders(_ condition: String) async throws -> Int {
        try await count("SELECT \(AchievementStore.holders) FROM gamification.achievements a WHERE a.\(condition)")
    }
}
