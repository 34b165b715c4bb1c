import Configuration
import Foundation
import Hummingbird
import Logging
import MessageBus
import PostgresNIO
import ServiceLifecycle

/// Builds a service process from its definition: configuration, database client, migrations,
/// bus sockets, relay, replay endpoint, consumers and the HTTP scaffold.
public enum ServiceRuntime {
    public typealias App = Application<RouterResponder<ServiceRequestContext>>

    public static func buildApplication(_ definition: ServiceDefinition, reader: ConfigReader) async throws -> App {
        let identity = definition.identity
        let settings = ServiceSettings(identity: identity, reader: reader)
        let logger = {
            var logger = Logger(label: identity.name)
            logger.logLevel = Logger.Level(rawValue: settings.logLevel) ?? .info
            return logger
        }()

        let databaseURL = try DatabaseURL(settings.databaseURL)
        let client = PostgresClient(configuration: databaseURL.clientConfiguration(maxConnections: settings.databaseMaxConnections),
                                    backgroundLogger: logger)
        let metrics = ServiceMetrics()
        let environment = ServiceEnvironment(identity: identity, database: client, outbox: Outbox(schema: identity.schema),
                                             metrics: metrics, logger: logger, settings: settings)
        let migrations = try MigrationRunner.locateDirectory(configured: settings.migrationsDirectory)

        let security = try BusSecuritySettings(reader: reader)
        let busContext = try BusContext(logger: logger)
        let publisher = try PublisherSocket(context: busContext, bind: settings.bus.publish, curve: security.server)
        let replayResponder = try BusResponder(context: busContext, bind: settings.bus.replay, curve: security.server)
        let relay = OutboxRelay(schema: identity.schema, source: identity.eventSource, client: client, publisher: publisher,
                                metrics: metrics, logger: logger)
        let replay = ReplayServer(responder: replayResponder, schema: identity.schema, source: identity.eventSource,
                                  client: client, metrics: metrics, logger: logger)
        let consumers: [any Service] = try definition.subscriptions(environment).map { subscription in
            EventConsumer(schema: identity.schema, subscription: subscription,
                          endpoints: settings.peers[subscription.producer.name] ?? settings.bus,
                          curve: try security.client(for: subscription.producer),
                          busContext: busContext, client: client, metrics: metrics, logger: logger, delivery: settings.delivery)
        }
        let retention = RetentionJob(schema: identity.schema, source: identity.eventSource, client: client,
                                     retention: settings.delivery.retention, sweep: settings.delivery.retentionSweep,
                                     metrics: metrics, logger: logger)
        let gate = MigrationGate()

        let router = Router(context: ServiceRequestContext.self)
        router.add(middleware: RequestIDMiddleware())
        router.add(middleware: MetricsMiddleware(metrics: metrics))
        router.add(middleware: ProblemMiddleware())
        router.add(middleware: AuthenticationMiddleware(authority: try await TokenAuthority(secret: settings.jwtSecret)))
        PlatformRoutes(environment: environment, busIsUp: { relay.isHealthy }, isMigrated: { gate.isOpen },
                       openAPIDocument: definition.openAPIDocument).register(on: router)
        let components = definition.components(environment)
        components.routes(router.group("v1"))

        var services: [any Service] = [BusLifecycle(context: busContext), client]
        if let parent = settings.parentPID { services.append(ParentWatchdog(parentPID: parent, logger: logger)) }
        services += ([relay, replay, retention] + consumers + components.services).map { AfterMigration(gate: gate, service: $0) }

        var app = Application(
            router: router,
            configuration: .init(address: .hostname(settings.httpHost, port: settings.httpPort), serverName: identity.name),
            services: services,
            logger: logger)
        app.beforeServerStarts {
            try await MigrationRunner(client: client, directory: migrations, logger: logger).migrate(schema: identity.schema)
            gate.open()
            logger.info("ready to serve", metadata: [
                "http": "\(settings.httpHost):\(settings.httpPort)", "bus": "\(publisher.endpoint)", "replay": "\(replayResponder.endpoint)",
                "curve": "\(security.isEnabled ? "on" : "off")",
            ])
        }
        return app
    }

    /// The whole `main.swift` of a service executable.
    public static func main(_ build: @Sendable (ConfigReader) async throws -> App) async {
        LoggingSystem.bootstrap { label in
            var handler = ServiceLogHandler(label: label)
            handler.logLevel = .info
            return handler
        }
        ShutdownDeadline.arm(after: .seconds(15))
        do {
            let reader = try await ConfigReader.lyceum()
            let app = try await build(reader)
            try await app.runService()
        } catch {
            let message = "fatal: \(PostgresErrorText.describe(error))\n"
            FileHandle.standardError.write(Data(message.utf8))
            exit(1)
        }
    }
}
