import Contracts
import Foundation
import Logging
import PostgresNIO

/// What a handler gets: the open transaction its writes join (with the inbox row and cursor),
/// and the service's outbox for the events it causes.
public struct HandlerContext: Sendable {
    public let connection: PostgresConnection
    public let outbox: Outbox
    public let logger: Logger
    public let header: EventHeader

    /// Outbox metadata for an event caused by the one being handled.
    public func caused(subject: String) -> Outbox.Metadata {
        Outbox.Metadata(causedBy: header, subject: subject)
    }
}

/// What a batch handler gets: the same transaction and outbox, for a run of events at once.
public struct BatchContext: Sendable {
    public let connection: PostgresConnection
    public let outbox: Outbox
    public let logger: Logger
}

extension Outbox.Metadata {
    /// Metadata for an event caused by `header`: same correlation and actor, caused by it.
    public init(causedBy header: EventHeader, subject: String) {
        self.init(subject: subject, correlationId: header.correlationId, causationId: header.id, actor: header.actor)
    }
}

/// The typed handlers a consumer runs for one source's event types. A handler takes one event
/// (`on`) or a run of consecutive events of its type (`onBatch`, for a busy stream whose writes
/// are cheaper as one statement); either way it runs inside the transaction that records the
/// events as applied, and if it throws, that transaction rolls back and each event is retried
/// on its own.
public struct EventHandlers: Sendable {
    typealias Handler = @Sendable ([DeliveredEvent], BatchContext) async throws -> Void
    private var handlers: [String: Handler] = [:]
    /// Which handler an event type belongs to: a run of consecutive events of one group goes to it at once.
    private var groups: [String: Int] = [:]
    private var nextGroup = 0

    public init() {}

    public mutating func on<P: EventPayload>(_ type: P.Type, _ handle: @escaping @Sendable (EventEnvelope<P>, HandlerContext) async throws -> Void) {
        groups[P.eventType] = newGroup()
        handlers[P.eventType] = { events, context in
            for event in events {
                let envelope = try EventEnvelope<P>.decode(from: event.envelope, header: event.header)
                try await handle(envelope, HandlerContext(connection: context.connection, outbox: context.outbox,
                                                          logger: context.logger, header: event.header))
            }
        }
    }

    public mutating func onBatch<P: EventPayload>(_ type: P.Type,
                                                  _ handle: @escaping @Sendable ([EventEnvelope<P>], BatchContext) async throws -> Void) {
        groups[P.eventType] = newGroup()
        handlers[P.eventType] = { events, context in
            try await handle(events.map { try EventEnvelope<P>.decode(from: $0.envelope, header: $0.header) }, context)
        }
    }

    /// One handler for several event types: each event becomes the handler's own value through
    /// its type's decoder, and a run of consecutive events of any of these types is one call.
    public mutating func onBatch<T: Sendable>(_ decoders: [BatchDecoder<T>], _ handle: @escaping @Sendable ([T], BatchContext) async throws -> Void) {
        let group = newGroup()
        let table = Dictionary(decoders.map { ($0.type, $0.decode) }, uniquingKeysWith: { first, _ in first })
        for type in table.keys {
            groups[type] = group
            handlers[type] = { events, context in
                try await handle(events.map { event in
                    guard let decode = table[event.header.type] else { throw UnhandledType(type: event.header.type) }
                    return try decode(event)
                }, context)
            }
        }
    }

    private mutating func newGroup() -> Int {
        defer { nextGroup += 1 }
        return nextGroup
    }

    struct UnhandledType: Error {
        let type: String
    }

    func handles(_ type: String) -> Bool { handlers[type] != nil }

    /// Runs the handlers of `events` in order, a run of consecutive events of one type per call.
    func run(_ events: [DeliveredEvent], _ context: BatchContext) async throws {
        var start = events.startIndex
        while start < events.endIndex {
            let type = events[start].header.type, group = groups[type]
            let end = events[start...].firstIndex { $0.header.type != type && (group == nil || groups[$0.header.type] != group) } ?? events.endIndex
            if let handler = handlers[type] { try await handler(Array(events[start..<end]), context) }
            start = end
        }
    }
}

/// How one event type becomes a multi-type batch handler's value (`EventHandlers.onBatch(_:_:)`).
public struct BatchDecoder<T: Sendable>: Sendable {
    let type: String
    let decode: @Sendable (DeliveredEvent) throws -> T

    public static func on<P: EventPayload>(_: P.Type, _ transform: @escaping @Sendable (EventEnvelope<P>) -> T) -> BatchDecoder<T> {
        BatchDecoder(type: P.eventType) { transform(try EventEnvelope<P>.decode(from: $0.envelope, header: $0.header)) }
    }
}

/// A consumer's subscription: whose events it applies, and how.
public struct Subscription: Sendable {
    public let producer: ServiceIdentity
    public let handlers: EventHandlers
    /// Set when only events with the same key must be applied in stream order: the handlers of
    /// events with different keys touch different rows or changes that add up in any order. A
    /// busy stream's runs are then applied in parts (`DeliverySettings.applyParts`), each
    /// part's keys in a transaction of its own, at the same time. Nil: one transaction per run.
    public let orderKey: (@Sendable (EventHeader) -> String)?

    public init(producer: ServiceIdentity, handlers: EventHandlers, orderKey: (@Sendable (EventHeader) -> String)? = nil) {
        self.producer = producer
        self.handlers = handlers
        self.orderKey = orderKey
    }

    /// Events about one subject (`Outbox.userTag` for a learner's) in order; different subjects in any order.
    public static let bySubject: @Sendable (EventHeader) -> String = { $0.subject }
}
