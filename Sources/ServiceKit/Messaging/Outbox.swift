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
        let eventID = UUID()
        let payloadJSON = String(decoding: try LyceumJSON.encoder().encode(payload), as: UTF8.self)
        try await connection.query("""
            INSERT INTO \(unescaped: schema).outbox
                (event_id, type, version, subject, correlation_id, causation_id, actor, occurred_at, payload)
            VALUES (\(eventID), \(P.eventType), \(P.eventVersion), \(metadata.subject), \(metadata.correlationId),
                    \(metadata.causationId), \(metadata.actor), \(metadata.occurredAt), \(payloadJSON)::jsonb)
            """, logger: logger)
        return eventID
    }
}
