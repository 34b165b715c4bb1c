import Contracts
import Foundation
import Logging
import PostgresNIO
import ServiceKit

/// Completes a course when its last required lesson completes (quiz and assignment lessons
/// complete only when passed or graded, so "every required quiz passed" is part of it), and
/// issues the certificate, in the caller's transaction. The enrollment row is locked by
/// `LessonAccess`, so two last lessons completing at once still complete the course once.
struct CourseCompletion: Sendable {
    let outbox: Outbox

    struct Completed: Sendable, Equatable {
        var completedAt: Date
        var certificateCode: String
    }

    func completeIfDone(courseID: UUID, userID: UUID, on connection: PostgresConnection, logger: Logger) async throws -> Completed? {
        var figures: (completed: Int, remaining: Int) = (0, 1)
        for try await row in try await connection.query("""
            SELECT count(*) FILTER (WHERE p.status = 'completed')::int,
                   count(*) FILTER (WHERE l.is_required AND p.status IS DISTINCT FROM 'completed')::int
            FROM learning.lessons l
            LEFT JOIN learning.lesson_progress p ON p.lesson_id = l.id AND p.user_id = \(userID)
            WHERE l.course_id = \(courseID)
            """, logger: logger).decode((Int, Int).self) { figures = row }
        guard figures.remaining == 0 else { return nil }
        var completedAt: Date?
        for try await value in try await connection.query("""
            UPDATE learning.enrollments SET status = 'completed', completed_at = now()
            WHERE user_id = \(userID) AND course_id = \(courseID) AND completed_at IS NULL AND status <> 'dropped'
            RETURNING completed_at
            """, logger: logger).decode(Date.self) { completedAt = value }
        guard let completedAt else { return nil }
        try await outbox.append(CourseCompleted(userId: userID, courseId: courseID, lessonsCompleted: figures.completed, completedAt: completedAt),
                                .about(user: userID, actor: userID, at: completedAt), on: connection, logger: logger)
        let certificate = try await issueCertificate(courseID: courseID, userID: userID, on: connection, logger: logger)
        return Completed(completedAt: completedAt, certificateCode: certificate)
    }

    /// One certificate per learner and course; a new random code when one collides.
    private func issueCertificate(courseID: UUID, userID: UUID, on connection: PostgresConnection, logger: Logger) async throws -> String {
        for _ in 0..<5 {
            let code = CertificateCode.random()
            for try await (id, issuedAt) in try await connection.query("""
                INSERT INTO learning.certificates (code, user_id, course_id, holder_name, course_title)
                SELECT \(code), \(userID), c.id, (SELECT display_name FROM learning.learners WHERE user_id = \(userID)), c.title
                FROM learning.courses c WHERE c.id = \(courseID)
                ON CONFLICT DO NOTHING
                RETURNING id, issued_at
                """, logger: logger).decode((UUID, Date).self) {
                try await outbox.append(CertificateIssued(certificateId: id, userId: userID, courseId: courseID, code: code, issuedAt: issuedAt),
                                        .about(user: userID, actor: userID, at: issuedAt), on: connection, logger: logger)
                return code
            }
            for try await existing in try await connection.query("""
                SELECT code FROM learning.certificates WHERE user_id = \(userID) AND course_id = \(courseID)
                """, logger: logger).decode(String.self) { return existing }
        }
        throw Problem.status(.conflict, detail: "could not draw a free certificate code; try again")
    }
}
