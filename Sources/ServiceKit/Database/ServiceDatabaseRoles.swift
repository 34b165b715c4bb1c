import Crypto
import Foundation
import Logging
import PostgresNIO

/// Gives every service its own login role that owns its schema and has no rights on any other
/// service's schema. Run with an administrator's connection (`lyceum dev`, `lyceum migrate`).
public struct ServiceDatabaseRoles: Sendable {
    let adminURL: DatabaseURL

    public init(adminURL: DatabaseURL) {
        self.adminURL = adminURL
    }

    /// The service role's password: derived from the administrator's, so every run agrees on it
    /// without storing another secret.
    public func password(for identity: ServiceIdentity) -> String {
        let key = SymmetricKey(data: Data((adminURL.password ?? adminURL.user).utf8))
        let mac = HMAC<SHA256>.authenticationCode(for: Data(identity.databaseRole.utf8), using: key)
        return mac.prefix(16).map { String(format: "%02x", $0) }.joined()
    }

    /// The URL a service process connects with.
    public func serviceURL(for identity: ServiceIdentity) -> DatabaseURL {
        adminURL.with(user: identity.databaseRole, password: password(for: identity))
    }

    /// Roles are cluster-wide while advisory locks are per database, so starters working in two
    /// databases of one cluster can still collide on the role row; such a collision is retried.
    public func ensure(_ identity: ServiceIdentity, client: PostgresClient, logger: Logger) async throws {
        let transient: Set<String> = ["XX000", "42710", "23505", "40001"]
        for attempt in 1...5 {
            do {
                return try await ensureOnce(identity, client: client, logger: logger)
            } catch where attempt < 5 && PostgresErrorText.sqlState(error).map(transient.contains) == true {
                try await Task.sleep(for: .milliseconds(40 * attempt))
            }
        }
    }

    private func ensureOnce(_ identity: ServiceIdentity, client: PostgresClient, logger: Logger) async throws {
        let role = SQLIdentifier.checked(identity.databaseRole)
        let schema = SQLIdentifier.checked(identity.schema)
        let database = adminURL.database.replacingOccurrences(of: "\"", with: "\"\"")
        let password = password(for: identity)
        // Roles are cluster-wide: serialise their creation across concurrent starters.
        try await client.transaction(logger: logger) { connection in
            try await connection.query("SELECT pg_advisory_xact_lock(hashtextextended('lyceum.roles', 0))", logger: logger)
            let exists = try await connection.query("SELECT 1 FROM pg_roles WHERE rolname = \(role)", logger: logger)
                .collect().count > 0
            let verb = exists ? "ALTER" : "CREATE"
            try await connection.query(
                PostgresQuery(unsafeSQL: "\(verb) ROLE \(role) LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE PASSWORD '\(password)'"),
                logger: logger)
            try await connection.query(PostgresQuery(unsafeSQL: "GRANT CONNECT ON DATABASE \"\(database)\" TO \(role)"), logger: logger)
            try await connection.query("CREATE SCHEMA IF NOT EXISTS \(unescaped: schema) AUTHORIZATION \(unescaped: role)", logger: logger)
            try await connection.query("ALTER SCHEMA \(unescaped: schema) OWNER TO \(unescaped: role)", logger: logger)
            try await connection.query("REVOKE ALL ON SCHEMA \(unescaped: schema) FROM PUBLIC", logger: logger)
            try await connection.query("REVOKE CREATE ON SCHEMA public FROM \(unescaped: role)", logger: logger)
        }
    }
}
