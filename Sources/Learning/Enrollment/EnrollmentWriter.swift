import Contracts
import Foundation
import Logging
import PostgresNIO
import ServiceKit

/// Enrolls learners inside the caller's transaction, with the `learning.enrollment_created` event
/// when access is new or comes back after a drop or refund.
struct EnrollmentWriter: Sendable {
    let outbox: Outbox

    struct Enrollment: Sendable, Equatable {
        var type: String
        var status: String
        var enrolledAt: Date
    }

    enum Outcome: Sendable, Equatable {
        case enrolled(Enrollment)
        case alreadyEnrolled(Enrollment)
        case missingPrerequisites([PrerequisiteStore.Item])
    }

    /// `started` marks the enrollment in progress at once (the learner's first action enrolled
    /// them). Course prerequisites are checked unless staff or a purchase grants the access
    /// (`checkPrerequisites: false`). A paid enrollment takes the purchase even over an active
    /// free one; anything else leaves an active enrollment as it is.
    func enroll(userID: UUID, courseID: UUID, type: String, purchaseID: UUID? = nil, grantedBy: UUID? = nil, started: Bool = false,
                checkPrerequisites: Bool = true, on connection: PostgresConnection, logger: Logger) async throws -> Outcome {
        var previous: String?
        for try await status in try await connection.query("""
            SELECT status FROM learning.enrollments WHERE user_id = \(userID) AND course_id = \(courseID) FOR UPDATE
            """, logger: logger).decode(String.self) { previous = status }
        if let previous, previous != "dropped", type != "paid" {
            return .alreadyEnrolled(try await current(userID: userID, courseID: courseID, on: connection, logger: logger))
        }
        if checkPrerequisites {
            let missing = try await Self.missingCourses(before: courseID, for: userID, on: connection, logger: logger)
            if !missing.isEmpty { return .missingPrerequisites(missing) }
        }
        let status = started ? "in_progress" : "enrolled"
        var written: (Enrollment, Bool)?
        for try await (type, status, enrolledAt, inserted) in try await connection.query("""
            INSERT INTO learning.enrollments AS e
                (user_id, course_id, enrollment_type, status, purchase_id, granted_by, started_at, last_accessed_at)
            VALUES (\(userID), \(courseID), \(type), \(status), \(purchaseID), \(grantedBy),
                    CASE WHEN \(started) THEN now() END, CASE WHEN \(started) THEN now() END)
            ON CONFLICT (user_id, course_id) DO UPDATE
                SET enrollment_type = excluded.enrollment_type, purchase_id = excluded.purchase_id, granted_by = excluded.granted_by,
                    status = CASE WHEN e.status <> 'dropped' THEN e.status
                                  WHEN e.completed_at IS NOT NULL THEN 'completed' ELSE excluded.status END,
                    enrolled_at = CASE WHEN e.status = 'dropped' THEN now() ELSE e.enrolled_at END,
                    ended_at = NULL, ended_reason = NULL
                WHERE e.status = 'dropped' OR (excluded.enrollment_type = 'paid' AND e.purchase_id IS DISTINCT FROM excluded.purchase_id)
            RETURNING e.enrollment_type, e.status, e.enrolled_at, (xmax = 0)
            """, logger: logger).decode((String, String, Date, Bool).self) {
            written = (Enrollment(type: type, status: status, enrolledAt: enrolledAt), inserted)
        }
        guard let (enrollment, inserted) = written else {
            return .alreadyEnrolled(try await current(userID: userID, courseID: courseID, on: connection, logger: logger))
        }
        guard inserted || previous == "dropped" else { return .alreadyEnrolled(enrollment) }
        try await outbox.append(EnrollmentCreated(userId: userID, courseId: courseID, enrollmentType: enrollment.type, purchaseId: purchaseID,
                                                  enrolledAt: enrollment.enrolledAt),
                                .about(user: userID, actor: grantedBy ?? userID, at: enrollment.enrolledAt), on: connection, logger: logger)
        return .enrolled(enrollment)
    }

    /// Ends access: the learner dropped the course, its purchase was refunded, or a tripwire
    /// grant was revoked (`onlyType`: only an enrollment of that type ends). False when there was
    /// no such active enrollment.
    @discardableResult
    func end(userID: UUID, courseID: UUID, reason: String, onlyType: String? = nil, on connection: PostgresConnection,
             logger: Logger) async throws -> Bool {
        var ended = false
        for try await _ in try await connection.query("""
            UPDATE learning.enrollments SET status = 'dropped', ended_reason = \(reason), ended_at = now()
            WHERE user_id = \(userID) AND course_id = \(courseID) AND status <> 'dropped'
              AND (\(onlyType)::text IS NULL OR enrollment_type = \(onlyType))
            RETURNING 1
            """, logger: logger).decode(Int.self) { ended = true }
        return ended
    }

    /// Required courses the learner has not completed.
    static func missingCourses(before courseID: UUID, for userID: UUID, on connection: PostgresConnection,
                               logger: Logger) async throws -> [PrerequisiteStore.Item] {
        var items: [PrerequisiteStore.Item] = []
        for try await (id, title) in try await connection.query("""
            SELECT c.id, c.title FROM learning.course_prerequisites p
            JOIN learning.courses c ON c.id = p.requires_course_id
            WHERE p.course_id = \(courseID)
              AND NOT EXISTS (SELECT 1 FROM learning.enrollments e
                              WHERE e.user_id = \(userID) AND e.course_id = c.id AND e.completed_at IS NOT NULL)
            ORDER BY c.title, c.id
            """, logger: logger).decode((UUID, String).self) { items.append(.init(id: id, title: title)) }
        return items
    }

    private func current(userID: UUID, courseID: UUID, on connection: PostgresConnection, logger: Logger) async throws -> Enrollment {
        for try await (type, status, enrolledAt) in try await connection.query("""
            SELECT enrollment_type, status, enrolled_at FROM learning.enrollments WHERE user_id = \(userID) AND course_id = \(courseID)
            """, logger: logger).decode((String, String, Date).self) {
            return Enrollment(type: type, status: status, enrolledAt: enrolledAt)
        }
        throw Problem.status(.conflict, detail: "the enrollment changed concurrently; try again")
    }
}
