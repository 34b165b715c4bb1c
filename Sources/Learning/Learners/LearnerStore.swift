import Foundation
import Hummingbird
import Logging
import PostgresNIO
import ServiceKit

struct LearnerProfile: ResponseEncodable, Sendable, Equatable {
    var userId: UUID
    /// The name printed on certificates issued from now on.
    var displayName: String
    var updatedAt: Date

    enum CodingKeys: String, CodingKey {
        case userId = "user_id", displayName = "display_name", updatedAt = "updated_at"
    }
}

/// A learner's learning in figures, counted from enrollments, progress and watching.
struct LearnerStats: ResponseEncodable, Sendable, Equatable {
    var userId: UUID
    var coursesEnrolled: Int
    var coursesInProgress: Int
    var coursesCompleted: Int
    var lessonsCompleted: Int
    var certificates: Int
    var learningSeconds: Int
    var learningHours: Double
    var lastActivityAt: Date?

    enum CodingKeys: String, CodingKey {
        case userId = "user_id", coursesEnrolled = "courses_enrolled", coursesInProgress = "courses_in_progress"
        case coursesCompleted = "courses_completed", lessonsCompleted = "lessons_completed", certificates
        case learningSeconds = "learning_seconds", learningHours = "learning_hours", lastActivityAt = "last_activity_at"
    }
}

/// SQL of learner profiles and stats.
struct LearnerStore: Sendable {
    let database: PostgresClient

    init(environment: ServiceEnvironment) {
        database = environment.database
    }

    func setName(_ name: String, userID: UUID, logger: Logger) async throws -> LearnerProfile {
        for try await (displayName, updatedAt) in try await database.query("""
            INSERT INTO learning.learners (user_id, display_name) VALUES (\(userID), \(name))
            ON CONFLICT (user_id) DO UPDATE SET display_name = excluded.display_name, updated_at = now()
            RETURNING display_name, updated_at
            """, logger: logger).decode((String, Date).self) {
            return LearnerProfile(userId: userID, displayName: displayName, updatedAt: updatedAt)
        }
        throw Problem.internalError
    }

    func profile(userID: UUID, logger: Logger) async throws -> LearnerProfile? {
        for try await (displayName, updatedAt) in try await database.query("""
            SELECT display_name, updated_at FROM learning.learners WHERE user_id = \(userID)
            """, logger: logger).decode((String, Date).self) {
            return LearnerProfile(userId: userID, displayName: displayName, updatedAt: updatedAt)
        }
        return nil
    }

    /// Learning time is time spent on lessons (reported with progress and completions; watched
    /// video seconds count through their lesson).
    func stats(userID: UUID, logger: Logger) async throws -> LearnerStats {
        for try await row in try await database.query("""
            SELECT
                (SELECT count(*) FILTER (WHERE status <> 'dropped')::int FROM learning.enrollments WHERE user_id = \(userID)),
                (SELECT count(*) FILTER (WHERE status IN ('enrolled', 'in_progress'))::int FROM learning.enrollments WHERE user_id = \(userID)),
                (SELECT count(*) FILTER (WHERE completed_at IS NOT NULL)::int FROM learning.enrollments WHERE user_id = \(userID)),
                (SELECT count(*) FILTER (WHERE status = 'completed')::int FROM learning.lesson_progress WHERE user_id = \(userID)),
                (SELECT count(*)::int FROM learning.certificates WHERE user_id = \(userID) AND revoked_at IS NULL),
                (SELECT coalesce(sum(time_spent_seconds), 0)::int FROM learning.lesson_progress WHERE user_id = \(userID)),
                greatest((SELECT max(updated_at) FROM learning.lesson_progress WHERE user_id = \(userID)),
                         (SELECT max(last_accessed_at) FROM learning.enrollments WHERE user_id = \(userID)),
                         (SELECT max(updated_at) FROM learning.video_watch WHERE user_id = \(userID)))
            """, logger: logger).decode((Int, Int, Int, Int, Int, Int, Date?).self) {
            return LearnerStats(userId: userID, coursesEnrolled: row.0, coursesInProgress: row.1, coursesCompleted: row.2,
                                lessonsCompleted: row.3, certificates: row.4, learningSeconds: row.5,
                                learningHours: (Double(row.5) / 36).rounded() / 100, lastActivityAt: row.6)
        }
        throw Problem.internalError
    }
}
