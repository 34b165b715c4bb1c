import Contracts
import Foundation
import Logging
import PostgresNIO
import ServiceKit

/// SQL of tripwire students: race-free grants (one student per email and per user; the business
/// row, the activity log, the lead's user link and `leads.student_granted` in one transaction),
/// reads scoped to a manager, status changes, and completion from the learning service's events.
struct TripwireStore: Sendable {
    let database: PostgresClient
    let outbox: Outbox

    init(environment: ServiceEnvironment) {
        database = environment.database
        outbox = environment.outbox
    }

    static let columns = """
        id, user_id, email, full_name, granted_by, course_id, price::text, status, completed_at, created_at, updated_at
        """

    /// Creates the student, or answers the one this manager already granted this person
    /// (`created: false`, nothing written). Another manager's student, or a `user_id` that
    /// belongs to a student with another email, is 409. Concurrent identical grants make one
    /// student: the unique email and user indexes refuse the later inserts, which then read the first.
    func grant(_ grant: Grant, course: UUID, by manager: UUID, logger: Logger) async throws -> GrantResult {
        try await database.transaction(logger: logger) { connection in
            // The person's account: the one given, else the one a lead with this email is linked to, else a new one.
            var knownUser = grant.userId
            if knownUser == nil {
                knownUser = try await connection.query("""
                    SELECT user_id FROM leads.leads WHERE email = \(grant.email) AND merged_into IS NULL AND user_id IS NOT NULL
                    """, logger: logger).decode(UUID.self).firstElement()
            }
            if let student = try await Self.first(try await connection.query("""
                INSERT INTO leads.tripwire_users (user_id, email, full_name, granted_by, course_id, price)
                VALUES (COALESCE(\(knownUser), gen_random_uuid()), \(grant.email), \(grant.fullName), \(manager), \(course),
                        \(grant.price.description)::numeric)
                ON CONFLICT DO NOTHING
                RETURNING \(unescaped: Self.columns)
                """, logger: logger)) {
                try await connection.query("""
                    UPDATE leads.leads SET user_id = \(student.userId), updated_at = now()
                    WHERE merged_into IS NULL AND email = \(student.email) AND user_id IS NULL
                      AND NOT EXISTS (SELECT 1 FROM leads.leads o WHERE o.user_id = \(student.userId) AND o.merged_into IS NULL)
                    """, logger: logger)
                try await SalesActivity.record(.userCreated, by: manager, student: student,
                                               details: ["email": student.email, "full_name": student.fullName, "price": student.price,
                                                         "course_id": student.courseId.uuidString.lowercased()],
                                               on: connection, logger: logger)
                try await outbox.append(StudentGranted(studentId: student.id, userId: student.userId, email: student.email,
                                                       fullName: student.fullName, courseId: student.courseId, price: student.price,
                                                       grantedBy: manager, grantedAt: student.createdAt),
                                        Outbox.Metadata(subject: Outbox.userTag(student.userId), actor: Outbox.userTag(manager),
                                                        occurredAt: student.createdAt),
                                        on: connection, logger: logger)
                return GrantResult(created: true, student: student)
            }
            guard let existing = try await Self.first(try await connection.query("""
                SELECT \(unescaped: Self.columns) FROM leads.tripwire_users
                WHERE email = \(grant.email) OR user_id = \(knownUser)
                ORDER BY (email = \(grant.email)) DESC LIMIT 1
                """, logger: logger)) else {
                throw Problem.status(.conflict, detail: "the grant raced with another; try again")
            }
            if existing.email != grant.email {
                throw Self.conflict("user_id", "this user is already a tripwire student under another email")
            }
            if existing.grantedBy != manager {
                throw Self.conflict("email", "this person is already a tripwire student of another manager")
            }
            if let userId = grant.userId, userId != existing.userId {
                throw Self.conflict("user_id", "this email's tripwire student has another user id (\(existing.userId))")
            }
            return GrantResult(created: false, student: existing)
        }
    }

    private static func conflict(_ field: String, _ message: String) -> Problem {
        Problem(status: .conflict, type: "https://lyceum.dev/problems/already-granted", title: "Already a tripwire student",
                detail: message, errors: [Problem.FieldError(field: field, message: message)])
    }

    /// Students newest first; `manager` nil: everyone's.
    func list(manager: UUID?, status: String?, after: PageCursor?, limit: Int, logger: Logger) async throws -> Page<TripwireStudentView> {
        let rows = try await database.query("""
            SELECT \(unescaped: Self.columns) FROM leads.tripwire_users
            WHERE (\(manager)::uuid IS NULL OR granted_by = \(manager))
              AND (\(status)::text IS NULL OR status = \(status))
              AND (\(after?.micros)::bigint IS NULL
                   OR (created_at, id) < (\(instant: after?.micros), \(after?.id)))
            ORDER BY created_at DESC, id DESC LIMIT \(limit + 1)
            """, logger: logger).decode(Row.self).all().map(Self.view)
        return Page(rows: rows, limit: limit) { PageCursor(at: $0.createdAt, id: $0.id) }
    }

    /// One student, when `manager` (nil: anyone) granted them.
    func get(_ id: UUID, manager: UUID?, logger: Logger) async throws -> TripwireStudentView? {
        try await Self.first(try await database.query("""
            SELECT \(unescaped: Self.columns) FROM leads.tripwire_users WHERE id = \(id) AND (\(manager)::uuid IS NULL OR granted_by = \(manager))
            """, logger: logger))
    }

    /// Sets a student active or inactive, logged as `user_status_updated` by `actor`, with
    /// `leads.student_access_changed` (revoked or restored) for the learning service; nil when
    /// there is no such student of `manager`. A completed student stays completed (409); the same
    /// status again changes and logs nothing.
    func setStatus(_ id: UUID, to status: String, manager: UUID?, actor: UUID, logger: Logger) async throws -> TripwireStudentView? {
        try await database.transaction(logger: logger) { connection -> TripwireStudentView? in
            guard let student = try await Self.first(try await connection.query("""
                SELECT \(unescaped: Self.columns) FROM leads.tripwire_users
                WHERE id = \(id) AND (\(manager)::uuid IS NULL OR granted_by = \(manager)) FOR UPDATE
                """, logger: logger)) else { return nil }
            if student.status == "completed" {
                throw Problem(status: .conflict, type: "https://lyceum.dev/problems/student-completed", title: "Student completed",
                              detail: "the student completed the course; their status no longer changes",
                              errors: [Problem.FieldError(field: "status", message: "the student already completed the course")])
            }
            guard student.status != status else { return student }
            guard let updated = try await Self.first(try await connection.query("""
                UPDATE leads.tripwire_users SET status = \(status), updated_at = now() WHERE id = \(id) RETURNING \(unescaped: Self.columns)
                """, logger: logger)) else { return nil }
            try await SalesActivity.record(.userStatusUpdated, by: actor, student: updated, details: ["from": student.status, "to": status],
                                           on: connection, logger: logger)
            let change = StudentAccessChanged(studentId: updated.id, userId: updated.userId, courseId: updated.courseId,
                                              access: status == "inactive" ? "revoked" : "restored", changedBy: actor, changedAt: updated.updatedAt)
            try await outbox.append(change, .about(user: updated.userId, actor: actor, at: updated.updatedAt), on: connection, logger: logger)
            return updated
        }
    }

    /// The learning service says `user` completed `course`: their tripwire student (if that is
    /// the course they were granted) becomes completed. False when nothing changed.
    @discardableResult
    static func complete(user: UUID, course: UUID, at completedAt: Date, on connection: PostgresConnection, logger: Logger) async throws -> Bool {
        try await connection.query("""
            UPDATE leads.tripwire_users SET status = 'completed', completed_at = \(completedAt), updated_at = now()
            WHERE user_id = \(user) AND course_id = \(course) AND status <> 'completed'
            RETURNING 1
            """, logger: logger).decode(Int.self).firstElement() != nil
    }

    typealias Row = (UUID, UUID, String, String, UUID, UUID, String, String, Date?, Date, Date)

    static func first(_ rows: PostgresRowSequence) async throws -> TripwireStudentView? {
        try await rows.decode(Row.self).firstElement().map(view)
    }

    static func view(_ row: Row) -> TripwireStudentView {
        TripwireStudentView(id: row.0, userId: row.1, email: row.2, fullName: row.3, grantedBy: row.4, courseId: row.5, price: row.6,
                            status: row.7, completedAt: row.8, createdAt: row.9, updatedAt: row.10)
    }
}
