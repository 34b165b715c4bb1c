import Logging
import PostgresNIO

/// The connection died under a transaction or a long-held session.
public struct ConnectionClosed: Error, CustomStringConvertible {
    public init() {}
    public var description: String { "the database connection was closed" }
}

extension PostgresConnection {
    /// `withTransaction`, minus a hang: PostgresNIO 1.33 writes a query to a closed (or closing)
    /// channel with no promise, so its result never arrives. Its own `withTransaction` sends
    /// ROLLBACK after the failure that killed the session and waits forever (seen when PostgreSQL
    /// restarts). This never writes to a dead session and throws the closure's error as it is.
    public func transaction<T>(logger: Logger, isolation: isolated (any Actor)? = #isolation,
                               _ body: (PostgresConnection) async throws -> sending T) async throws -> sending T {
        try ensureOpen()
        try await query("BEGIN", logger: logger)
        do {
            let value = try await body(self)
            try ensureOpen()
            try await query("COMMIT", logger: logger)
            return value
        } catch {
            // After a fatal error the server closes the session a moment later: a ROLLBACK sent in
            // between would be dropped unanswered, so only a healthy session gets one.
            if !isClosed, !PostgresErrorText.isConnectionLoss(error) { _ = try? await query("ROLLBACK", logger: logger) }
            throw error
        }
    }

    /// Throws instead of sending a query into a closed connection (see `transaction`).
    public func ensureOpen() throws {
        if isClosed { throw ConnectionClosed() }
    }
}

extension PostgresClient {
    /// A transaction on a pooled connection; see `PostgresConnection.transaction`.
    public func transaction<T>(logger: Logger, isolation: isolated (any Actor)? = #isolation,
                               _ body: (PostgresConnection) async throws -> sending T) async throws -> sending T {
        try await withConnection(isolation: isolation) { connection in
            try await connection.transaction(logger: logger, isolation: isolation, body)
        }
    }
}
