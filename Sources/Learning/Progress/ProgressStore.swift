import Contracts
import Foundation
import Logging
import PostgresNIO
import ServiceKit

/// SQL of lesson progress.
struct ProgressStore: Sendable {
    let database: PostgresClient
    let outbox: Outbox
    let logger: Logger

    init(environment: ServiceEnvironment) {
        database = environment.database
        outbox = environment.outbox
        logger = environment.logger
    }

    /// Marks a published lesson complete for a learner. The first completion writes the progress
    /// row and the `learning.lesson_completed` outbox row in one transaction; a repeat (even a
    /// concurrent one) changes nothing. Nil when no published lesson has this id.
    func complete(lessonID: UUID, userID: UUID, timeSpentSeconds: Int, logger: Logger) async throws -> LessonCompletion? {
        try await database.transaction(logger: logger) { connection -> LessonCompletion? in
            var lesson: (courseID: UUID, xpReward: Int?)?
            for try await (courseID, xpReward) in try await connection.query("""
                SELECT l.course_id, l.xp_reward FROM learning.lessons l
                JOIN learning.courses c ON c.id = l.course_id
                WHERE l.id = \(lessonID) AND c.status = 'published'
                """, logger: logger).decode((UUID, Int?).self) {
                lesson = (courseID, xpReward)
            }
            guard let lesson else { return nil }
            let missing = try await PrerequisiteStore.missingLessons(before: lessonID, for: userID, on: connection, logger: logger)
            if !missing.isEmpty {
                throw Problem(status: .forbidden, type: "https://lyceum.dev/problems/prerequisites-missing", title: "Prerequisites missing",
                              detail: "complete these lessons first: " + missing.map { "\($0.title) (\($0.id))" }.joined(separator: ", "),
                              errors: missing.map { Problem.FieldError(field: "prerequisites", message: $0.id.uuidString) })
            }

            var completedAt: Date?
            for try await value in try await connection.query("""
                INSERT INTO learning.lesson_progress
                    (user_id, lesson_id, course_id, status, time_spent_seconds, started_at, completed_at)
                VALUES (\(userID), \(lessonID), \(lesson.courseID), 'completed', \(timeSpentSeconds), now(), now())
                ON CONFLICT (user_id, lesson_id) DO UPDATE
                    SET status = 'completed', completed_at = now(), updated_at = now(),
                        time_spent_seconds = learning.lesson_progress.time_spent_seconds + excluded.time_spent_seconds
                    WHERE learning.lesson_progress.status <> 'completed'
                RETURNING completed_at
                """, logger: logger).decode(Date.self) {
                completedAt = value
            }
            if let completedAt {
                let event = LessonCompleted(userId: userID, lessonId: lessonID, courseId: lesson.courseID,
                                            xpReward: lesson.xpReward, completedAt: completedAt)
                try await outbox.append(event, .init(subject: "user:\(userID.uuidString.lowercased())", actor: "user:\(userID.uuidString.lowercased())",
                                                     occurredAt: completedAt), on: connection, logger: logger)
                return LessonCompletion(lessonId: lessonID, userId: userID, courseId: lesson.courseID, status: "completed",
                                        completedAt: completedAt, newlyCompleted: true)
            }
            for try await value in try await connection.query("""
                SELECT completed_at FROM learning.lesson_progress WHERE user_id = \(userID) AND lesson_id = \(lessonID)
                """, logger: logger).decode(Date.self) {
                completedAt = value
            }
            return LessonCompletion(lessonId: lessonID, userId: userID, courseId: lesson.courseID, status: "completed",
                                    completedAt: completedAt ?? Date(), newlyCompleted: false)
        }
    }
}
