import Contracts
import Foundation
import Logging
import PostgresNIO
import ServiceKit

/// The enrollment side of `LessonAccess`.
enum EnrollmentGate {
    /// For a learner without an active enrollment (`ProgressStatements.TouchEnrollment` found
    /// none): enrolls them in a free course (the enrollment row stays locked for the rest of the
    /// transaction); refuses otherwise. Returns the enrollment status.
    static func enrollOrRefuse(_ lesson: LessonFacts, userID: UUID, outbox: Outbox, on connection: PostgresConnection,
                               logger: Logger) async throws -> String {
        guard lesson.freeCourse else {
            let ended = try await endedReason(userID: userID, courseID: lesson.courseId, on: connection, logger: logger)
            if ended == "refunded" { throw LearningProblems.enrollmentRequired("access to course \(lesson.courseId) ended with a refund") }
            if ended == "revoked" { throw LearningProblems.enrollmentRequired("access to course \(lesson.courseId) was taken back by the sales team") }
            throw LearningProblems.paymentRequired(lesson.courseId)
        }
        let writer = EnrollmentWriter(outbox: outbox)
        switch try await writer.enroll(userID: userID, courseID: lesson.courseId, type: "free", started: true, on: connection, logger: logger) {
        case .enrolled(let enrollment), .alreadyEnrolled(let enrollment): return enrollment.status
        case .missingPrerequisites(let missing): throw LearningProblems.coursePrerequisites(missing)
        }
    }

    static func endedReason(userID: UUID, courseID: UUID, on connection: PostgresConnection, logger: Logger) async throws -> String? {
        for try await reason in try await connection.query("""
            SELECT ended_reason FROM learning.enrollments WHERE user_id = \(userID) AND course_id = \(courseID)
            """, logger: logger).decode(String?.self) { return reason }
        return nil
    }

    /// Required lessons of the modules before `moduleID` that the learner has not completed.
    static func lessonsBefore(moduleID: UUID, notCompletedBy userID: UUID, on connection: PostgresConnection,
                              logger: Logger) async throws -> [PrerequisiteStore.Item] {
        var items: [PrerequisiteStore.Item] = []
        for try await (id, title) in try await connection.query("""
            SELECT l.id, l.title FROM learning.modules target
            JOIN learning.modules m ON m.course_id = target.course_id AND m.position < target.position
            JOIN learning.lessons l ON l.module_id = m.id AND l.is_required
            WHERE target.id = \(moduleID)
              AND NOT EXISTS (SELECT 1 FROM learning.lesson_progress p
                              WHERE p.user_id = \(userID) AND p.lesson_id = l.id AND p.status = 'completed')
            ORDER BY m.position, l.position LIMIT 100
            """, logger: logger).decode((UUID, String).self) { items.append(.init(id: id, title: title)) }
        return items
    }
}
