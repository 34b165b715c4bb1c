import Contracts
import Foundation
import Logging
import NIOCore
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

    /// `user:<id>`, the subject (and actor) of events about a user.
    public static func userTag(_ id: UUID) -> String { "user:" + id.uuidString.lowercased() }

    /// An event as its outbox row: for a module that writes it inside a statement of its own
    /// (a prepared statement on a hot path), in the columns `insertColumns` names.
    public struct EncodedEvent: Sendable {
        public var eventId: UUID
        public var type: String
        public var version: Int
        public var subject: String
        public var correlationId: UUID
        public var causationId: UUID?
        public var actor: String?
        public var occurredAt: Date
        public var payloadJSON: String
    }

    public static let insertColumns = "event_id, type, version, subject, correlation_id, causation_id, actor, occurred_at, payload"

    public func encode<P: EventPayload>(_ payload: P, _ metadata: Metadata) throws -> EncodedEvent {
        EncodedEvent(P.self, metadata, payloadJSON: String(decoding: try LyceumJSON.encoder().encode(payload), as: UTF8.self))
    }

    /// The same for a payload that writes its own JSON (`HandWrittenPayload`), chosen where the
    /// payload's type is known; a generic caller (`append`) gets the encoder's identical bytes.
    public func encode<P: HandWrittenPayload>(_ payload: P, _ metadata: Metadata) throws -> EncodedEvent {
        EncodedEvent(P.self, metadata, payloadJSON: payload.jsonString)
    }

    /// One event, in a plain VALUES insert (cheaper to plan than the bulk form).
    @discardableResult
    public func append<P: EventPayload>(_ payload: P, _ metadata: Metadata, on connection: PostgresConnection, logger: Logger) async throws -> UUID {
        let event = try encode(payload, metadata)
        try await connection.query("""
            INSERT INTO \(unescaped: schema).outbox (\(unescaped: Self.insertColumns))
            VALUES (\(event.eventId), \(event.type), \(event.version), \(event.subject), \(event.correlationId), \(event.causationId),
                    \(event.actor), \(event.occurredAt), \(event.payloadJSON)::jsonb)
            """, logger: logger)
        return event.eventId
    }

    /// Several events of one type in one statement (a bulk write that emits an event per row);
    /// returns their ids in order. The relay numbers them in this order.
    @discardableResult
    public func append<P: EventPayload>(contentsOf events: [(payload: P, metadata: Metadata)], on connection: PostgresConnection,
                                        logger: Logger) async throws -> [UUID] {
        let encoder = LyceumJSON.encoder()
        return try await insert(P.self, events.map(\.metadata), payloads: try events.map { String(decoding: try encoder.encode($0.payload), as: UTF8.self) },
                                on: connection, logger: logger)
    }

    /// The same for payloads that write their own JSON (`HandWrittenPayload`), chosen where the
    /// payload's type is known.
    @discardableResult
    public func append<P: HandWrittenPayload>(contentsOf events: [(payload: P, metadata: Metadata)], on connection: PostgresConnection,
                                              logger: Logger) async throws -> [UUID] {
        try await insert(P.self, events.map(\.metadata), payloads: events.map(\.payload.jsonString), on: connection, logger: logger)
    }

    /// (Arrays cannot carry NULLs here, so an absent causation id or actor travels as "", stored as NULL.)
    private func insert<P: EventPayload>(_: P.Type, _ metadata: [Metadata], payloads: [String], on connection: PostgresConnection,
                                         logger: Logger) async throws -> [UUID] {
        guard !payloads.isEmpty else { return [] }
        let ids = payloads.map { _ in UUID() }
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

extension Outbox.Metadata {
    /// An event about `user`, done by `actor` (nil: by the system itself).
    public static func about(user: UUID, actor: UUID?, at occurredAt: Date = Date()) -> Outbox.Metadata {
        Outbox.Metadata(subject: Outbox.userTag(user), actor: actor.map(Outbox.userTag), occurredAt: occurredAt)
    }
}

extension Outbox.EncodedEvent {
    /// A new event of type `P` (a fresh id) with its payload already encoded.
    init<P: EventPayload>(_: P.Type, _ metadata: Outbox.Metadata, payloadJSON: String) {
        self.init(eventId: UUID(), type: P.eventType, version: P.eventVersion, subject: metadata.subject,
                  correlationId: metadata.correlationId, causationId: metadata.causationId, actor: metadata.actor,
                  occurredAt: metadata.occurredAt, payloadJSON: payloadJSON)
    }

    /// Binds the event's id, type, version (int4), subject and correlation id, in that order: the
    /// outbox columns every one-statement write passes as parameters; each adds the rest it takes.
    public func bindIdentity(to bindings: inout PostgresBindings) {
        bindings.append(eventId)
        bindings.append(type)
        bindings.append(Int32(version))
        bindings.append(subject)
        bindings.append(correlationId)
    }
}

extension Array where Element == Outbox.EncodedEvent {
    /// `bindIdentity` for a batch: the same five columns, each as an array (for `unnest`).
    public func bindIdentities(to bindings: inout PostgresBindings) {
        bindings.append(map(\.eventId))
        bindings.append(map(\.type))
        bindings.append(map { Int32($0.version) })
        bindings.append(map(\.subject))
        bindings.append(map(\.correlationId))
    }
}

/// An event payload that writes its JSON by hand, for an event sent on a hot path (a lesson
/// completion's): `JSONEncoder` was a twentieth of the learning service's CPU there. What it
/// writes must be exactly what `LyceumJSON` encodes; each conformance has a test comparing them.
public protocol HandWrittenPayload: EventPayload {
    func write(to json: inout JSONText)
}

extension HandWrittenPayload {
    /// The payload as the outbox stores it.
    var jsonString: String {
        var json = JSONText(capacity: 256)
        write(to: &json)
        return String(buffer: json.buffer)
    }
}
