import Foundation
import Testing

/// Bad input on every leaderboard endpoint: a 400 problem naming the parameter, never a 500.
@Suite struct LeaderboardInputTests {
    @Test func badParametersAreRefusedByName() async throws {
        try await GamificationHarness.with { app in
            let learner = UUID()
            let user = "users/\(learner)"
            let cases: [(String, String)] = [
                ("yearly", "period"), ("DAILY", "period"), ("yearly/\(user)", "period"), ("yearly/\(user)/around", "period"),
                ("daily?date=2026-02-30", "date"), ("daily?date=20260101", "date"), ("weekly?date=2026-1-05", "date"),
                ("monthly?date=today", "date"), ("daily?date=1969-12-31", "date"), ("daily?date=", "date"),
                ("daily/\(user)?date=2026-13-01", "date"), ("daily/\(user)/around?date=x", "date"),
                ("daily?course_id=nope", "course_id"), ("daily?course_id=00000000-0000-0000-0000-000000000000", "course_id"),
                ("daily/\(user)?course_id=123", "course_id"), ("all_time/\(user)/around?course_id=", "course_id"),
                ("daily?limit=0", "limit"), ("daily?limit=101", "limit"), ("daily?limit=ten", "limit"), ("daily?limit=-1", "limit"),
                ("daily/\(user)/around?size=0", "size"), ("daily/\(user)/around?size=51", "size"), ("daily/\(user)/around?size=1.5", "size"),
                ("daily/users/not-a-uuid", "user_id"), ("daily/users/not-a-uuid/around", "user_id"),
            ]
            for (path, field) in cases {
                let (status, problem) = try await app.board(path, as: learner, role: .admin)
                let fields = (problem["errors"] as? [[String: Any]])?.compactMap { $0["field"] as? String } ?? []
                #expect(status == .badRequest && fields.contains(field) && problem["status"] as? Int == 400, "\(path): \(status) \(problem)")
            }
            // Every fault at once is named at once.
            let (_, all) = try await app.board("hourly/users/x/around?date=no&course_id=no&size=99", as: learner, role: .admin)
            let fields = Set((all["errors"] as? [[String: Any]])?.compactMap { $0["field"] as? String } ?? [])
            #expect(fields == ["period", "user_id", "date", "course_id", "size"])
            // Good edges pass.
            for path in ["daily?limit=1", "daily?limit=100&date=2026-02-28", "weekly?date=2024-02-29", "all_time/\(user)",
                         "monthly/\(user)/around?size=1", "monthly/\(user)/around?size=50&course_id=\(UUID())"] {
                #expect(try await app.board(path, as: learner).0 == .ok, "\(path)")
            }
            // Nothing was written by any of it.
            #expect(try await app.count("SELECT count(*)::int FROM gamification.leaderboard_scores") == 0)
        }
    }
}
