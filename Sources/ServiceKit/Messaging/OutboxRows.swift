import Contracts
import Foundation
import Logging
import PostgresNIO

/// Reads sequenced outbox rows as wire envelopes: used by the relay and by the replay server.
struct OutboxRows: Sendable {
    let schema: String
    let source: String

    struct Event: Sendable {
        let sequence: Int64
        let type: String
        let envelope: Data
    }

    func sequenced(after sequence: Int64, limit: Int, on connection: PostgresConnection, logger: Logger) async throws -> [Event] {
        try await events(from: connection.query("""
            SELECT \(unescaped: Self.envelopeColumns)
            FROM \(unescaped: schema).outbox
            WHERE sequence > \(sequence)
            ORDER BY sequence LIMIT \(limit)
            """, logger: logger))
    }

    /// The relay's one statement per round: gives up to `limit` committed, unnumbered rows the
    /// next stream sequences (the one-row counter, locked, says where the stream stands) and
    /// returns them as envelopes; it also moves the published watermark to the last row the
    /// previous round sent. One round trip instead of a transaction of five.
    func numberCommitted(limit: Int, publishedThrough sent: Int64, on connection: PostgresConnection,
                         logger: Logger) async throws -> [Event] {
        try await events(from: connection.query("""
            WITH stream AS (
                SELECT last_sequence FROM \(unescaped: schema).outbox_stream FOR UPDATE
            ), next AS (
                SELECT position FROM \(unescaped: schema).outbox
                WHERE sequence IS NULL ORDER BY position LIMIT \(limit) FOR UPDATE
            ), numbered AS (
                SELECT position, (SELECT last_sequence FROM stream) + row_number() OVER (ORDER BY position) AS sequence
                FROM next
            ), assigned AS (
                UPDATE \(unescaped: schema).outbox AS o SET sequence = numbered.sequence, sequenced_at = now()
                FROM numbered WHERE o.position = numbered.position
                RETURNING o.*
            ), advanced AS (
                UPDATE \(unescaped: schema).outbox_stream
                SET last_sequence = coalesce((SELECT max(sequence) FROM assigned), last_sequence),
                    published_through = greatest(published_through, \(sent)), updated_at = now()
                WHERE EXISTS (SELECT 1 FROM assigned) OR published_through < \(sent)
            )
            SELECT \(unescaped: Self.envelopeColumns) FROM assigned ORDER BY sequence
            """, logger: logger))
    }

    private static let envelopeColumns =
        "sequence, event_id, type, version, subject, correlation_id, causation_id, actor, occurred_at, payload::text"

    private func events(from rows: PostgresRowSequence) async throws -> [Event] {
        var events: [Event] = []
        for try await (seq, id, type, version, subject, correlation, causation, actor, occurredAt, payload) in rows.decode(
            (Int64, UUID, String, Int, String, UUID, UUID?, String?, Date, String).self
        ) {
            let header = EventHeader(
                id: id, type: type, version: version, source: source, sequence: seq, occurredAt: occurredAt,
                subject: subject, correlationId: correlation, causationId: causation, actor: actor)
            events.append(Event(sequence: seq, type: type, envelope: header.envelopeText(payloadJSON: payload.utf8)))
        }
        return events
    }

    func latestSequence(on connection: PostgresConnection, logger: Logger) async throws -> Int64 {
        try await stream(on: connection, logger: logger).latest
    }

    /// The stream counter, the last sequence the retention job deleted and the last one on the bus.
    func stream(on connection: PostgresConnection, logger: Logger) async throws
        -> (latest: Int64, prunedThrough: Int64, publishedThrough: Int64) {
        let rows = try await connection.query(
            "SELECT last_sequence, pruned_through, published_through FROM \(unescaped: schema).outbox_stream", logger: logger)
        for try await (last, pruned, published) in rows.decode((Int64, Int64, Int64).self) { return (last, pruned, published) }
        return (0, 0, 0)
    }

    /// Moves the published watermark after a resend.
    func markPublished(through sequence: Int64, on connection: PostgresConnection, logger: Logger) async throws {
        try await connection.query(
            "UPDATE \(unescaped: schema).outbox_stream SET published_through = greatest(published_through, \(sequence))",
            logger: logger)
    }

    /// Deletes published rows (at or below the watermark) numbered longer ago than the retention
    /// window from the front of the stream, in bounded batches, and records how far it got. The
    /// deleted rows are always a prefix of the stream.
    func prune(olderThan retention: Duration, client: PostgresClient, logger: Logger) async throws -> Int {
        let seconds = Double(retention.components.seconds)
        var total = 0
        while true {
            let deleted = try await client.transaction(logger: logger) { connection -> Int in
                var highest: Int64 = 0
                var count = 0
                for try await sequence in try await connection.query("""
                    WITH front AS (
                        SELECT sequence, sequenced_at FROM \(unescaped: schema).outbox
                        WHERE sequence <= (SELECT published_through FROM \(unescaped: schema).outbox_stream)
                        ORDER BY sequence LIMIT 5000
                    )
                    DELETE FROM \(unescaped: schema).outbox WHERE sequence IN (
                        SELECT sequence FROM front WHERE sequenced_at < now() - make_interval(secs => \(seconds)))
                    RETURNING sequence
                    """, logger: logger).decode(Int64.self) {
                    highest = max(highest, sequence)
                    count += 1
                }
                if count > 0 {
                    try await connection.query(
                        "UPDATE \(unescaped: schema).outbox_stream SET pruned_through = greatest(pruned_through, \(highest))",
                        logger: logger)
                }
                return count
            }
            total += deleted
            if deleted < 5000 { return total }
        }
    }
}
