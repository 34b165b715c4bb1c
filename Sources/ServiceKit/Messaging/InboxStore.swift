import Contracts
import Foundation
import Logging
import PostgresNIO

/// The consumer side's tables: cursors per source, the inbox of applied event ids, failures.
struct InboxStore: Sendable {
    let schema: String
    let logger: Logger

    enum Outcome: Equatable {
        case applied
        case alreadyApplied
        case gap(cursor: Int64)
    }

    /// The stored cursor, creating its row on first use so applying events only ever updates it.
    func openCursor(source: String, client: PostgresClient) async throws -> Int64 {
        let rows = try await client.query("""
            INSERT INTO \(unescaped: schema).inbox_cursors (source) VALUES (\(source))
            ON CONFLICT (source) DO UPDATE SET source = excluded.source
            RETURNING last_sequence
            """, logger: logger)
        for try await value in rows.decode(Int64.self) { return value }
        return 0
    }

    /// Applies one event exactly once: the cursor row lock serialises replicas, the handler's
    /// writes, the inbox row and the cursor commit together. An event out of order is refused.
    /// `hadFailed` marks a retry, whose recorded failure is resolved in the same transaction.
    func apply(_ header: EventHeader, envelope: Data, handler: EventHandlers.Handler?, hadFailed: Bool,
               outbox: Outbox, client: PostgresClient) async throws -> Outcome {
        try await client.withTransaction(logger: logger) { connection in
            var cursor: Int64 = 0
            for try await value in try await connection.query(
                "SELECT last_sequence FROM \(unescaped: schema).inbox_cursors WHERE source = \(header.source) FOR UPDATE",
                logger: logger
            ).decode(Int64.self) { cursor = value }
            if header.sequence <= cursor { return .alreadyApplied }
            if header.sequence > cursor + 1 { return .gap(cursor: cursor) }
            if let handler {
                let inserted = try await connection.query("""
                    INSERT INTO \(unescaped: schema).inbox (source, event_id, sequence, type)
                    VALUES (\(header.source), \(header.id), \(header.sequence), \(header.type))
                    ON CONFLICT DO NOTHING RETURNING 1
                    """, logger: logger).collect().count
                if inserted == 1 {
                    let context = HandlerContext(connection: connection, outbox: outbox, logger: logger, header: header)
                    try await handler(envelope, context)
                }
            }
            if hadFailed {
                try await connection.query("""
                    UPDATE \(unescaped: schema).inbox_failures SET resolved_at = now()
                    WHERE source = \(header.source) AND event_id = \(header.id) AND resolved_at IS NULL
                    """, logger: logger)
            }
            try await connection.query("""
                UPDATE \(unescaped: schema).inbox_cursors SET last_sequence = \(header.sequence), updated_at = now()
                WHERE source = \(header.source)
                """, logger: logger)
            return .applied
        }
    }

    func recordFailure(_ header: EventHeader, error: String, client: PostgresClient) async throws -> Int {
        let rows = try await client.query("""
            INSERT INTO \(unescaped: schema).inbox_failures (source, event_id, sequence, type, last_error)
            VALUES (\(header.source), \(header.id), \(header.sequence), \(header.type), \(error))
            ON CONFLICT (source, event_id) DO UPDATE
                SET attempts = inbox_failures.attempts + 1, last_error = excluded.last_error,
                    last_failed_at = now(), resolved_at = NULL
            RETURNING attempts
            """, logger: logger)
        for try await attempts in rows.decode(Int.self) { return attempts }
        return 1
    }
}
