import Contracts
import Foundation
import Logging
import PostgresNIO
import ServiceKit

/// Completes a lesson inside the caller's transaction: the progress row and the
/// `learning.lesson_completed` event on the first completion only. Every way a lesson completes
/// (the completion endpoint, a qualifying video watch, a passed quiz, a graded assignment) ends here.
struct LessonCompletionWriter: Sendable {
    let outbox: Outbox

    /// Call after `LessonAccess.require`. The course completes with its last required lesson.
    /// A repeat (even a concurrent one) changes nothing and
    /// answers `newlyCompleted: false`.
    func complete(_ lesson: LessonFacts, userID: UUID, timeSpentSeconds: Int, on connection: PostgresConnection,
                  logger: Logger) async throws -> LessonCompletion {
        var lesson = lesson
        if lesson.enrollmentStatus == nil {
            // A curator's grade or a submitted attempt did not pass `LessonAccess.require`: take the
            // learner's enrollment lock here, so course completion is still counted once.
            for try await status in try await connection.query("""
                SELECT status FROM learning.enrollments WHERE user_id = \(userID) AND course_id = \(lesson.courseId) FOR UPDATE
                """, logger: logger).decode(String.self) { lesson.enrollmentStatus = status }
        }
        let now = lesson.now ?? Date()
        let event = try outbox.encode(LessonCompleted(userId: userID, lessonId: lesson.id, courseId: lesson.courseId, xpReward: lesson.xpReward,
                                                      completedAt: now),
                                      .about(user: userID, actor: userID, at: now))
        var result: ProgressStatements.Complete.Row?
        for try await row in try await connection.execute(
            ProgressStatements.Complete(userID: userID, lesson: lesson, timeSpentSeconds: timeSpentSeconds, event: event), logger: logger) {
            result = row
        }
        guard let result, let completedAt = result.newlyCompletedAt ?? result.earlierCompletedAt else {
            throw Problem.status(.conflict, detail: "the lesson's progress changed concurrently; try again")
        }
        var completion = LessonCompletion(lessonId: lesson.id, userId: userID, courseId: lesson.courseId, status: "completed",
                                          completedAt: completedAt, newlyCompleted: result.newlyCompletedAt != nil)
        let stillOpen = result.requiredOpenBefore - (completion.newlyCompleted && lesson.isRequired ? 1 : 0)
        if completion.newlyCompleted, stillOpen == 0, lesson.enrollmentStatus != "completed",
           let course = try await CourseCompletion(outbox: outbox).completeIfDone(courseID: lesson.courseId, userID: userID,
                                                                                  on: connection, logger: logger) {
            completion.courseCompletedAt = course.completedAt
            completion.certificateCode = course.certificateCode
        }
        return completion
    }

    /// A completion the learner did not ask for themselves (a passed quiz, a graded assignment):
    /// the lesson completes when it is still published; one of a course archived meanwhile is left alone.
    func completeIfPublished(_ lessonID: UUID, userID: UUID, timeSpentSeconds: Int, on connection: PostgresConnection,
                             logger: Logger) async throws {
        guard let lesson = try await LessonAccess.facts(lessonID, on: connection, logger: logger) else { return }
        _ = try await complete(lesson, userID: userID, timeSpentSeconds: timeSpentSeconds, on: connection, logger: logger)
    }

    /// Records time on a lesson: `in_progress` until it completes; time adds up either way.
    func recordTime(_ lesson: LessonFacts, userID: UUID, seconds: Int, on connection: PostgresConnection, logger: Logger) async throws {
        try await connection.query("""
            INSERT INTO learning.lesson_progress (user_id, lesson_id, course_id, status, time_spent_seconds, started_at)
            VALUES (\(userID), \(lesson.id), \(lesson.courseId), 'in_progress', \(seconds), now())
            ON CONFLICT (user_id, lesson_id) DO UPDATE
                SET time_spent_seconds = learning.lesson_progress.time_spent_seconds + excluded.time_spent_seconds, updated_at = now()
            """, logger: logger)
    }
}
