import Contracts
import Foundation
import Logging
import PostgresNIO

/// Appends events to a service's outbox inside the caller's transaction, so the business write
/// and the event commit together or not at all.
public struct Outbox: Sendable {
    public let schema: String

    public init(schema: String) {
        self.schema = SQLIdentifier.checked(schema)
    }

    public struct Metadata: Sendable {
        public var subject: String
        public var correlationId: UUID
        public var causationId: UUID?
        public var actor: String?
        public var occurredAt: Date

        public init(subject: String, correlationId: UUID = UUID(), causationId: UUID? = nil, actor: String? = nil, occurredAt: Date = Date()) {
            self.subject = subject
            self.correlationId = correlationId
            self.causationId = causationId
            self.actor = actor
            self.occurredAt = occurredAt
        }
    }

    @discardableResult
    public func append<P: EventPayload>(_ payload: P, _ metadata: Metadata, on connection: PostgresConnection, logger: Logger) async throws -> UUID {
        try await append(contentsOf: [(payload, metadata)], on: connection, logger: logger)[0]
    }

    /// Several events of one type in one statement (a bulk write that emits an event per row);
    /// returns their ids in order. The relay numbers them in this order. (Arrays cannot carry
    /// NULLs here, so an absent causation id or actor travels as "", stored as NULL.)
    @discardableResult
    public func append<P: EventPayload>(contentsOf events: [(payload: P, metadata: Metadata)], on connection: PostgresConnection,
                                        logger: Logger) async throws -> [UUID] {
        guard !events.isEmpty else { return [] }
        let ids = events.map { _ in UUID() }
        let encoder = LyceumJSON.encoder()
        let payloads = try events.map { String(decoding: try encoder.encode($0.payload), as: UTF8.self) }
        let metadata = events.map(\.metadata)
        try await connection.query("""
            INSERT INTO \(unescaped: schema).outbox
                (event_id, type, version, subject, correlation_id, causation_id, actor, occurred_at, payload)
            SELECT id, \(P.eventType), \(P.eventVersion), subject, correlation_id, NULLIF(causation_id, '')::uuid, NULLIF(actor, ''),
                   occurred_at, payload::jsonb
            FROM unnest(\(ids)::uuid[], \(metadata.map(\.subject))::text[], \(metadata.map(\.correlationId))::uuid[],
                        \(metadata.map { $0.causationId?.uuidString ?? "" })::text[], \(metadata.map { $0.actor ?? "" })::text[],
                        \(metadata.map(\.occurredAt))::timestamptz[], \(payloads)::text[])
                WITH ORDINALITY AS e(id, subject, correlation_id, causation_id, actor, occurred_at, payload, position)
            ORDER BY position
            """, logger: logger)
        return ids
    }
}
