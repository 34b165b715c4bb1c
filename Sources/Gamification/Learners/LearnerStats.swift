import Foundation
import Hummingbird
import Logging
import PostgresNIO
import ServiceKit

/// `GET /v1/users/{user_id}/stats`: a learner's points, counters and last activity in one read.
struct LearnerStats: ResponseEncodable, Sendable {
    var userId: UUID
    var totalXp: Int64
    var reputation: Int64
    var level: Int
    var counts: LearnerCounts
    /// Achievements held now (unlocked, not revoked).
    var badgesEarned: Int
    /// As last settled: a streak whose missed days the settling job has not reached yet still
    /// shows here (`GET …/streak` settles them in its answer).
    var currentStreak: Int
    var longestStreak: Int
    var lastActivityAt: Date?

    enum CodingKeys: String, CodingKey {
        case userId = "user_id"
        case totalXp = "total_xp"
        case reputation, level, counts
        case badgesEarned = "badges_earned"
        case currentStreak = "current_streak"
        case longestStreak = "longest_streak"
        case lastActivityAt = "last_activity_at"
    }
}

struct LearnerStatsStore: Sendable {
    let database: PostgresClient

    init(environment: ServiceEnvironment) {
        database = environment.database
    }

    func stats(of userID: UUID, logger: Logger) async throws -> LearnerStats {
        let row = try await database.query("""
            SELECT coalesce(u.total_xp, 0), coalesce(u.reputation, 0), coalesce(u.level, 1),
                   coalesce(c.lessons_completed, 0), coalesce(c.courses_completed, 0), coalesce(c.quizzes_passed, 0), coalesce(c.perfect_quizzes, 0),
                   coalesce(c.assignments_graded, 0), coalesce(c.goals_completed, 0), coalesce(c.goals_completed_before_deadline, 0),
                   coalesce(c.high_priority_goals_completed, 0), c.last_activity_at,
                   (SELECT count(*)::int FROM gamification.achievement_unlocks x WHERE x.user_id = l.user_id AND x.revoked_at IS NULL),
                   coalesce(s.current_streak, 0), coalesce(s.longest_streak, 0)
            FROM (SELECT \(userID)::uuid AS user_id) l
            LEFT JOIN gamification.user_xp u ON u.user_id = l.user_id
            LEFT JOIN gamification.learner_counters c ON c.user_id = l.user_id
            LEFT JOIN gamification.user_streaks s ON s.user_id = l.user_id
            """, logger: logger).decode((Int64, Int64, Int, Int, Int, Int, Int, Int, Int, Int, Int, Date?, Int, Int, Int).self).firstElement()
        guard let row else { throw Problem.internalError }
        let counts = LearnerCounts(lessonsCompleted: row.3, coursesCompleted: row.4, quizzesPassed: row.5, perfectQuizzes: row.6,
                                   assignmentsGraded: row.7, goalsCompleted: row.8, goalsCompletedBeforeDeadline: row.9,
                                   highPriorityGoalsCompleted: row.10)
        return LearnerStats(userId: userID, totalXp: row.0, reputation: row.1, level: row.2, counts: counts, badgesEarned: row.12,
                            currentStreak: row.13, longestStreak: row.14, lastActivityAt: row.11)
    }
}

struct LearnerStatsRoutes {
    let store: LearnerStatsStore

    func register(on v1: RouterGroup<ServiceRequestContext>) {
        v1.get("/users/:user_id/stats", use: show)
    }

    @Sendable func show(_ request: Request, context: ServiceRequestContext) async throws -> LearnerStats {
        let userID = try context.readableUser(data: "stats")
        return try await store.stats(of: userID, logger: context.logger)
    }
}
