import Contracts
import Foundation
import Logging
import PostgresNIO
import ServiceKit

/// The leads service's tripwire grants (`leads.student_granted`): a sales manager gave a person
/// the tripwire course, so they get a gifted enrolment in it (granted by the manager, no
/// prerequisites checked), and a learner profile with their full name when they have none (so
/// their certificate carries it). Applied in the consumer's transaction with its inbox row, so a
/// redelivered grant changes nothing; an enrolment they already hold is left as it is. A course
/// this service does not have fails the event (retried, then parked: a misconfigured
/// `LEADS_TRIPWIRE_COURSE`).
///
/// `leads.student_access_changed` follows the manager's status: `revoked` ends the gifted
/// enrolment (reason `revoked`; a paid or free enrolment the learner holds is not the grant's and
/// stays), `restored` gives it back (with `learning.enrollment_created`, as any return of access).
struct StudentGrants: Sendable {
    var handlers: EventHandlers {
        var handlers = EventHandlers()
        handlers.on(StudentGranted.self) { event, context in
            try await Self.enroll(event.payload, context: context)
        }
        handlers.on(StudentAccessChanged.self) { event, context in
            try await Self.change(event.payload, context: context)
        }
        return handlers
    }

    struct UnknownCourse: Error, CustomStringConvertible {
        let courseID: UUID
        var description: String { "student_granted names course \(courseID), which this service does not have" }
    }

    static func enroll(_ grant: StudentGranted, context: HandlerContext) async throws {
        let connection = context.connection, logger = context.logger
        guard try await EnrollmentStore.courseExists(grant.courseId, on: connection, logger: logger) else {
            throw UnknownCourse(courseID: grant.courseId)
        }
        try await connection.query("""
            INSERT INTO learning.learners (user_id, display_name) VALUES (\(grant.userId), \(grant.fullName)) ON CONFLICT DO NOTHING
            """, logger: logger)
        _ = try await EnrollmentWriter(outbox: context.outbox).enroll(userID: grant.userId, courseID: grant.courseId, type: "gifted",
                                                                     grantedBy: grant.grantedBy, checkPrerequisites: false,
                                                                     on: connection, logger: logger)
    }

    static func change(_ change: StudentAccessChanged, context: HandlerContext) async throws {
        let writer = EnrollmentWriter(outbox: context.outbox)
        switch change.access {
        case "revoked":
            try await writer.end(userID: change.userId, courseID: change.courseId, reason: "revoked", onlyType: "gifted",
                                 on: context.connection, logger: context.logger)
        case "restored":
            guard try await EnrollmentStore.courseExists(change.courseId, on: context.connection, logger: context.logger) else {
                throw UnknownCourse(courseID: change.courseId)
            }
            _ = try await writer.enroll(userID: change.userId, courseID: change.courseId, type: "gifted", grantedBy: change.changedBy,
                                        checkPrerequisites: false, on: context.connection, logger: context.logger)
        default:
            context.logger.warning("student_access_changed with an access this service does not know", metadata: ["access": "\(change.access)"])
        }
    }
}
