import Foundation
import Logging
import PostgresNIO
import ServiceKit

/// What a learner's action on a lesson needs to know about it.
struct LessonFacts: Sendable, Equatable {
    var id: UUID
    var courseId: UUID
    var moduleId: UUID
    var contentType: String
    var xpReward: Int?
    var durationSeconds: Int?
}

/// Whether a learner may work on a lesson now: it is published, and what must come first is done.
/// Every learner action on a lesson (completing, watching, starting a quiz, submitting an
/// assignment) goes through `require`, inside the action's transaction.
enum LessonAccess {
    /// The lesson's facts, or a 404 when no published lesson has this id, or a 403 listing the
    /// prerequisite lessons still missing.
    static func require(_ lessonID: UUID, for userID: UUID, on connection: PostgresConnection, logger: Logger) async throws -> LessonFacts {
        guard let lesson = try await facts(lessonID, on: connection, logger: logger) else {
            throw Problem.notFound("no published lesson \(lessonID)")
        }
        let missing = try await PrerequisiteStore.missingLessons(before: lessonID, for: userID, on: connection, logger: logger)
        if !missing.isEmpty {
            throw Problem(status: .forbidden, type: "https://lyceum.dev/problems/prerequisites-missing", title: "Prerequisites missing",
                          detail: "complete these lessons first: " + missing.map { "\($0.title) (\($0.id))" }.joined(separator: ", "),
                          errors: missing.map { Problem.FieldError(field: "prerequisites", message: $0.id.uuidString) })
        }
        return lesson
    }

    static func facts(_ lessonID: UUID, on connection: PostgresConnection, logger: Logger) async throws -> LessonFacts? {
        for try await (courseID, moduleID, contentType, xpReward, duration) in try await connection.query("""
            SELECT l.course_id, l.module_id, l.content_type, l.xp_reward, l.duration_seconds FROM learning.lessons l
            JOIN learning.courses c ON c.id = l.course_id
            WHERE l.id = \(lessonID) AND c.status = 'published'
            """, logger: logger).decode((UUID, UUID, String, Int?, Int?).self) {
            return LessonFacts(id: lessonID, courseId: courseID, moduleId: moduleID, contentType: contentType,
                               xpReward: xpReward, durationSeconds: duration)
        }
        return nil
    }
}
