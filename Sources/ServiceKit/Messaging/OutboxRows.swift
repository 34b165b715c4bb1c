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

    func sequenced(after sequence: Int64, limit: Int, unpublishedOnly: Bool, on connection: PostgresConnection, logger: Logger) async throws -> [Event] {
        let filter = unpublishedOnly ? "AND published_at IS NULL" : ""
        let rows = try await connection.query("""
            SELECT sequence, event_id, type, version, subject, correlation_id, causation_id, actor, occurred_at, payload::text
            FROM \(unescaped: schema).outbox
            WHERE sequence > \(sequence) \(unescaped: filter)
            ORDER BY sequence LIMIT \(limit)
            """, logger: logger)
        var events: [Event] = []
        for try await (seq, id, type, version, subject, correlation, causation, actor, occurredAt, payload) in rows.decode(
            (Int64, UUID, String, Int, String, UUID, UUID?, String?, Date, String).self
        ) {
            let header = EventHeader(
                id: id, type: type, version: version, source: source, sequence: seq, occurredAt: occurredAt,
                subject: subject, correlationId: correlation, causationId: causation, actor: actor)
            events.append(Event(sequence: seq, type: type, envelope: try header.envelopeJSON(payloadJSON: Array(payload.utf8))))
        }
        return events
    }

    func latestSequence(on connection: PostgresConnection, logger: Logger) async throws -> Int64 {
        let rows = try await connection.query("SELECT last_sequence FROM \(unescaped: schema).outbox_stream", logger: logger)
        for try await (last) in rows.decode(Int64.self) { return last }
        return 0
    }
}
