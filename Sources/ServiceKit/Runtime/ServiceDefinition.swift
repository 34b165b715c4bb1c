import Foundation
import Hummingbird
import Logging
import PostgresNIO

/// What a service module hands to the runtime: who it is, its routes, its OpenAPI document and
/// the events it consumes. Everything else (database, migrations, bus, HTTP scaffold) is shared.
public struct ServiceDefinition: Sendable {
    public var identity: ServiceIdentity
    public var openAPIDocument: String
    public var subscriptions: @Sendable (ServiceEnvironment) -> [Subscription]
    public var routes: @Sendable (RouterGroup<ServiceRequestContext>, ServiceEnvironment) -> Void

    public init(
        identity: ServiceIdentity,
        openAPIDocument: String,
        subscriptions: @escaping @Sendable (ServiceEnvironment) -> [Subscription] = { _ in [] },
        routes: @escaping @Sendable (RouterGroup<ServiceRequestContext>, ServiceEnvironment) -> Void
    ) {
        self.identity = identity
        self.openAPIDocument = openAPIDocument
        self.subscriptions = subscriptions
        self.routes = routes
    }
}

/// What routes and handlers may use.
public struct ServiceEnvironment: Sendable {
    public let identity: ServiceIdentity
    public let database: PostgresClient
    public let outbox: Outbox
    public let metrics: ServiceMetrics
    public let logger: Logger
    public let settings: ServiceSettings

    public var schema: String { identity.schema }
}
