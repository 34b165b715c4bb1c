import Foundation
import Hummingbird
import Logging
import PostgresNIO
import ServiceLifecycle

/// What a service module hands to the runtime: who it is, its routes, its OpenAPI document and
/// the events it consumes. Everything else (database, migrations, bus, HTTP scaffold) is shared.
public struct ServiceDefinition: Sendable {
    public var identity: ServiceIdentity
    public var openAPIDocument: String
    public var subscriptions: @Sendable (ServiceEnvironment) -> [Subscription]
    /// The module's routes and background services for one running instance; called once, so
    /// both can share state (a cache and the listener that keeps it fresh).
    public var components: @Sendable (ServiceEnvironment) -> Components

    public struct Components {
        public var routes: (RouterGroup<ServiceRequestContext>) -> Void
        /// Background work started once migrations ran.
        public var services: [any Service]

        public init(services: [any Service] = [], routes: @escaping (RouterGroup<ServiceRequestContext>) -> Void) {
            self.routes = routes
            self.services = services
        }
    }

    public init(
        identity: ServiceIdentity,
        openAPIDocument: String,
        subscriptions: @escaping @Sendable (ServiceEnvironment) -> [Subscription] = { _ in [] },
        components: @escaping @Sendable (ServiceEnvironment) -> Components
    ) {
        self.identity = identity
        self.openAPIDocument = openAPIDocument
        self.subscriptions = subscriptions
        self.components = components
    }

    public init(
        identity: ServiceIdentity,
        openAPIDocument: String,
        subscriptions: @escaping @Sendable (ServiceEnvironment) -> [Subscription] = { _ in [] },
        routes: @escaping @Sendable (RouterGroup<ServiceRequestContext>, ServiceEnvironment) -> Void
    ) {
        self.init(identity: identity, openAPIDocument: openAPIDocument, subscriptions: subscriptions) { environment in
            Components { routes($0, environment) }
        }
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
