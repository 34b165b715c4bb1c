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
        Outbox.Metadata(subject: subject, correlationId: header.correlationId, causationId: header.id, actor: header.actor)
    }
}

/// The typed handlers a consumer runs for one source's event types.
public struct EventHandlers: Sendable {
    typealias Handler = @Sendable (Data, HandlerContext) async throws -> Void
    private(set) var handlers: [String: Handler] = [:]

    public init() {}

    public mutating func on<P: EventPayload>(_ type: P.Type, _ handle: @escaping @Sendable (EventEnvelope<P>, HandlerContext) async throws -> Void) {
        handlers[P.eventType] = { data, context in
            try await handle(EventEnvelope<P>.decode(from: data), context)
        }
    }

    func handler(for type: String) -> Handler? { handlers[type] }
}

/// A consumer's subscription: whose events it applies, and how.
public struct Subscription: Sendable {
    public let producer: ServiceIdentity
    public let handlers: EventHandlers

    public init(producer: ServiceIdentity, handlers: EventHandlers) {
        self.producer = producer
        self.handlers = handlers
    }
}
