import Contracts
import Foundation
import Logging
import PostgresNIO
import ServiceKit

/// SQL of enrollments: joining, dropping, staff grants, and reading them with their progress.
struct EnrollmentStore: Sendable {
    let database: PostgresClient
    let outbox: Outbox

    init(environment: ServiceEnvironment) {
        database = environment.database
        outbox = environment.outbox
    }

    enum Outcome: Sendable {
        case created(EnrollmentView)
        case existing(EnrollmentView)
    }

    /// A learner enrolls: free courses at once; paid ones only through a successful purchase.
    func enroll(userID: UUID, courseID: UUID, logger: Logger) async throws -> Outcome {
        try await database.transaction(logger: logger) { connection in
            guard let free = try await Self.publishedCourseIsFree(courseID, on: connection, logger: logger) else {
                throw Problem.notFound("no published course \(courseID)")
            }
            if !free, try await !hasActiveEnrollment(userID: userID, courseID: courseID, on: connection, logger: logger) {
                throw LearningProblems.paymentRequired(courseID)
            }
            return try await write(EnrollmentWriter(outbox: outbox).enroll(userID: userID, courseID: courseID, type: "free",
                                                                           on: connection, logger: logger),
                                   userID: userID, courseID: courseID, on: connection, logger: logger)
        }
    }

    /// Staff give access without a purchase (promotional, gifted, or free).
    func grant(userID: UUID, courseID: UUID, type: String, by staff: UUID, logger: Logger) async throws -> Outcome {
        try await database.transaction(logger: logger) { connection in
            guard try await Self.courseExists(courseID, on: connection, logger: logger) else { throw Problem.notFound("no course \(courseID)") }
            return try await write(EnrollmentWriter(outbox: outbox).enroll(userID: userID, courseID: courseID, type: type, grantedBy: staff,
                                                                           checkPrerequisites: false, on: connection, logger: logger),
                                   userID: userID, courseID: courseID, on: connection, logger: logger)
        }
    }

    /// The learner leaves the course; their progress stays for when they come back. Nil when not enrolled.
    func drop(userID: UUID, courseID: UUID, logger: Logger) async throws -> EnrollmentView? {
        try await database.transaction(logger: logger) { connection -> EnrollmentView? in
            guard try await EnrollmentWriter(outbox: outbox).end(userID: userID, courseID: courseID, reason: "dropped",
                                                                 on: connection, logger: logger) else { return nil }
            return try await Self.views(userID: userID, courseID: courseID, on: connection, logger: logger).first
        }
    }

    func list(userID: UUID, after: PageCursor?, limit: Int, logger: Logger) async throws -> Page<EnrollmentView> {
        try await database.withConnection { connection in
            let views = try await Self.views(userID: userID, after: after, limit: limit + 1, on: connection, logger: logger)
            guard views.count > limit, let last = views.prefix(limit).last else { return Page(items: views, nextCursor: nil) }
            return Page(items: Array(views.prefix(limit)),
                        nextCursor: PageCursor(micros: Int64((last.enrolledAt.timeIntervalSince1970 * 1_000_000).rounded()), id: last.courseId).encoded)
        }
    }

    /// One enrollment with every module and lesson's progress.
    func detail(userID: UUID, courseID: UUID, logger: Logger) async throws -> EnrollmentView? {
        try await database.withConnection { connection in
            guard var view = try await Self.views(userID: userID, courseID: courseID, on: connection, logger: logger).first else { return nil }
            var modules: [ModuleProgress] = []
            var sequential = false
            for try await row in try await connection.query("""
                SELECT m.id, m.title, l.id, l.title, l.content_type, l.is_required, coalesce(p.status, 'not_started'),
                       coalesce(p.time_spent_seconds, 0), p.completed_at, c.sequential_modules
                FROM learning.modules m
                JOIN learning.courses c ON c.id = m.course_id
                JOIN learning.lessons l ON l.module_id = m.id
                LEFT JOIN learning.lesson_progress p ON p.lesson_id = l.id AND p.user_id = \(userID)
                WHERE m.course_id = \(courseID)
                ORDER BY m.position, l.position
                """, logger: logger).decode((UUID, String, UUID, String, String, Bool, String, Int, Date?, Bool).self) {
                sequential = row.9
                let lesson = LessonProgress(lessonId: row.2, title: row.3, contentType: row.4, isRequired: row.5, status: row.6,
                                            timeSpentSeconds: row.7, completedAt: row.8)
                if modules.last?.moduleId == row.0 {
                    modules[modules.count - 1].lessons.append(lesson)
                } else {
                    modules.append(ModuleProgress(moduleId: row.0, title: row.1, unlocked: true, lessons: [lesson]))
                }
            }
            view.modules = ModuleUnlocking.unlocked(modules, sequential: sequential)
            return view
        }
    }

    private func write(_ outcome: EnrollmentWriter.Outcome, userID: UUID, courseID: UUID, on connection: PostgresConnection,
                       logger: Logger) async throws -> Outcome {
        let view = { try await Self.views(userID: userID, courseID: courseID, on: connection, logger: logger)[0] }
        switch outcome {
        case .enrolled: return .created(try await view())
        case .alreadyEnrolled: return .existing(try await view())
        case .missingPrerequisites(let missing): throw LearningProblems.coursePrerequisites(missing)
        }
    }

    private func hasActiveEnrollment(userID: UUID, courseID: UUID, on connection: PostgresConnection, logger: Logger) async throws -> Bool {
        for try await _ in try await connection.query("""
            SELECT 1 FROM learning.enrollments WHERE user_id = \(userID) AND course_id = \(courseID) AND status <> 'dropped'
            """, logger: logger).decode(Int.self) { return true }
        return false
    }

    /// Whether the published course costs nothing after its discount; nil when there is no such published course.
    static func publishedCourseIsFree(_ courseID: UUID, on connection: PostgresConnection, logger: Logger) async throws -> Bool? {
        for try await free in try await connection.query("""
            SELECT price * (100 - discount_percent) = 0 FROM learning.courses WHERE id = \(courseID) AND status = 'published'
            """, logger: logger).decode(Bool.self) { return free }
        return nil
    }

    static func courseExists(_ courseID: UUID, on connection: PostgresConnection, logger: Logger) async throws -> Bool {
        for try await _ in try await connection.query("SELECT 1 FROM learning.courses WHERE id = \(courseID)", logger: logger)
            .decode(Int.self) { return true }
        return false
    }

    /// Enrollments of a learner (one course, or a newest-first page), progress counted from lesson_progress.
    static func views(userID: UUID, courseID: UUID? = nil, after: PageCursor? = nil, limit: Int = 1, on connection: PostgresConnection,
                      logger: Logger) async throws -> [EnrollmentView] {
        var views: [EnrollmentView] = []
        for try await row in try await connection.query("""
            SELECT e.user_id, e.course_id, c.title, e.enrollment_type, e.status, e.purchase_id, e.enrolled_at, e.started_at,
                   e.completed_at, e.last_accessed_at, e.ended_reason, e.ended_at, a.total, a.completed, a.required, a.required_completed,
                   a.time_spent, (SELECT code FROM learning.certificates z WHERE z.user_id = e.user_id AND z.course_id = e.course_id)
            FROM learning.enrollments e
            JOIN learning.courses c ON c.id = e.course_id
            CROSS JOIN LATERAL (
                SELECT count(*)::int AS total, count(*) FILTER (WHERE p.status = 'completed')::int AS completed,
                       count(*) FILTER (WHERE l.is_required)::int AS required,
                       count(*) FILTER (WHERE l.is_required AND p.status = 'completed')::int AS required_completed,
                       coalesce(sum(p.time_spent_seconds), 0)::int AS time_spent
                FROM learning.lessons l
                LEFT JOIN learning.lesson_progress p ON p.lesson_id = l.id AND p.user_id = e.user_id
                WHERE l.course_id = e.course_id
            ) a
            WHERE e.user_id = \(userID) AND (\(courseID)::uuid IS NULL OR e.course_id = \(courseID))
              AND (\(after?.micros)::bigint IS NULL
                   OR (e.enrolled_at, e.course_id) < (\(instant: after?.micros), \(after?.id)))
            ORDER BY e.enrolled_at DESC, e.course_id DESC
            LIMIT \(limit)
            """, logger: logger).decode((UUID, UUID, String, String, String, UUID?, Date, Date?, Date?, Date?, String?, Date?,
                                         Int, Int, Int, Int, Int, String?).self) {
            let percent = row.14 > 0 ? (Double(row.15) * 10000 / Double(row.14)).rounded() / 100 : (row.4 == "completed" ? 100 : 0)
            views.append(EnrollmentView(userId: row.0, courseId: row.1, courseTitle: row.2, enrollmentType: row.3, status: row.4,
                                        purchaseId: row.5, enrolledAt: row.6, startedAt: row.7, completedAt: row.8, lastAccessedAt: row.9,
                                        endedReason: row.10, endedAt: row.11, lessonsTotal: row.12, lessonsCompleted: row.13,
                                        requiredLessons: row.14, requiredCompleted: row.15, progressPercent: percent,
                                        timeSpentSeconds: row.16, certificateCode: row.17))
        }
        return views
    }
}
