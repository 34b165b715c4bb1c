import Foundation
import Hummingbird
import Logging
import PostgresNIO
import ServiceKit

/// A certificate as its holder, an admin and a public verifier see it.
struct CertificateView: ResponseEncodable, Sendable, Equatable {
    var id: UUID
    var code: String
    var status: String
    var valid: Bool
    var userId: UUID
    var holderName: String?
    var courseId: UUID
    var courseTitle: String
    var issuedAt: Date
    var revokedAt: Date?
    var revokeReason: String?

    enum CodingKeys: String, CodingKey {
        case id, code, status, valid, userId = "user_id", holderName = "holder_name", courseId = "course_id", courseTitle = "course_title"
        case issuedAt = "issued_at", revokedAt = "revoked_at", revokeReason = "revoke_reason"
    }
}

/// SQL of certificates (issuing is part of course completion: `CourseCompletion`).
struct CertificateStore: Sendable {
    let database: PostgresClient

    init(environment: ServiceEnvironment) {
        database = environment.database
    }

    private static let columns = "id, code, user_id, holder_name, course_id, course_title, issued_at, revoked_at, revoke_reason"
    private typealias Row = (UUID, String, UUID, String?, UUID, String, Date, Date?, String?)

    private static func view(_ row: Row) -> CertificateView {
        CertificateView(id: row.0, code: row.1, status: row.7 == nil ? "valid" : "revoked", valid: row.7 == nil, userId: row.2,
                        holderName: row.3, courseId: row.4, courseTitle: row.5, issuedAt: row.6, revokedAt: row.7, revokeReason: row.8)
    }

    func verify(code: String, logger: Logger) async throws -> CertificateView? {
        try await first(PostgresQuery(unsafeSQL: "SELECT \(Self.columns) FROM learning.certificates WHERE code = $1",
                                      binds: PostgresBindings(code)), logger: logger)
    }

    func list(userID: UUID, logger: Logger) async throws -> [CertificateView] {
        var views: [CertificateView] = []
        for try await row in try await database.query(PostgresQuery(unsafeSQL: """
            SELECT \(Self.columns) FROM learning.certificates WHERE user_id = $1 ORDER BY issued_at DESC, id DESC LIMIT 1000
            """, binds: PostgresBindings(userID)), logger: logger).decode(Row.self) { views.append(Self.view(row)) }
        return views
    }

    /// Revokes a certificate; revoking again keeps the first reason. Nil when there is no such certificate.
    func revoke(_ id: UUID, reason: String, by admin: UUID, logger: Logger) async throws -> CertificateView? {
        try await first(PostgresQuery(unsafeSQL: """
            UPDATE learning.certificates
            SET revoked_at = coalesce(revoked_at, now()), revoke_reason = coalesce(revoke_reason, $2), revoked_by = coalesce(revoked_by, $3)
            WHERE id = $1 RETURNING \(Self.columns)
            """, binds: PostgresBindings(id, reason, admin)), logger: logger)
    }

    private func first(_ query: PostgresQuery, logger: Logger) async throws -> CertificateView? {
        for try await row in try await database.query(query, logger: logger).decode(Row.self) { return Self.view(row) }
        return nil
    }
}
