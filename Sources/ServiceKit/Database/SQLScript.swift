import Logging
import PostgresNIO

/// Runs a multi-statement SQL text (a migration, a demo data file) as one statement: the
/// extended protocol PostgresNIO speaks allows one command, PL/pgSQL's EXECUTE allows many.
public struct SQLScript: Sendable {
    static let innerQuote = "$lyceum_migration$"
    static let outerQuote = "$lyceum_do$"

    public let name: String
    let statement: String

    public init(name: String, sql: String) throws {
        guard !sql.contains(Self.innerQuote), !sql.contains(Self.outerQuote) else {
            throw MigrationError("\(name) must not contain \(Self.innerQuote) or \(Self.outerQuote)")
        }
        self.name = name
        self.statement = "DO \(Self.outerQuote) BEGIN EXECUTE \(Self.innerQuote)\(sql)\(Self.innerQuote); END \(Self.outerQuote)"
    }

    public func run(on connection: PostgresConnection, logger: Logger) async throws {
        try await connection.query(PostgresQuery(unsafeSQL: statement), logger: logger)
    }
}
