import Contracts
import Foundation
import LyceumTestSupport
import MessageBus
import PostgresNIO
import ServiceKit
import Synchronization
import Testing

/// Learning's outbox, its relay and replay endpoint, and a consumer in gamification's schema with
/// the test's handlers, on a fresh database: the delivery machinery without the services.
struct DeliveryRig {
    let client: PostgresClient
    let bus: BusContext
    let metrics: ServiceMetrics
    let publisher: PublisherSocket
    let responder: BusResponder
    let logger = TestPostgres.logger

    static func with(_ body: (DeliveryRig) async throws -> Void) async throws {
        try await TestPostgres.withDatabase { url in
            try await TestPostgres.withClient(url) { client in
                let runner = MigrationRunner(client: client, directory: MigrationRunnerTests.repositoryMigrations, logger: TestPostgres.logger)
                try await runner.migrate(schema: "learning")
                try await runner.migrate(schema: "gamification")
                try await client.query(
                    "CREATE TABLE gamification.probe_effects (event_id uuid PRIMARY KEY, user_id uuid NOT NULL, sequence bigint NOT NULL)",
                    logger: TestPostgres.logger)
                let bus = try BusContext()
                defer { bus.shutdown() }
                let rig = DeliveryRig(client: client, bus: bus, metrics: ServiceMetrics(),
                                      publisher: try PublisherSocket(context: bus, bind: "tcp://127.0.0.1:*"),
                                      responder: try BusResponder(context: bus, bind: "tcp://127.0.0.1:*"))
                try await body(rig)
            }
        }
    }

    var relay: OutboxRelay {
        OutboxRelay(schema: "learning", source: "learning", client: client, publisher: publisher, metrics: metrics, logger: logger)
    }

    var replay: ReplayServer {
        ReplayServer(responder: responder, schema: "learning", source: "learning", client: client, metrics: metrics, logger: logger)
    }

    func consumer(_ handlers: EventHandlers, delivery: DeliverySettings = DeliverySettings(),
                  orderKey: (@Sendable (EventHeader) -> String)? = nil) -> EventConsumer {
        EventConsumer(schema: "gamification", subscription: Subscription(producer: .learning, handlers: handlers, orderKey: orderKey),
                      endpoints: BusEndpoints(publish: publisher.endpoint, replay: responder.endpoint),
                      busContext: bus, client: client, metrics: metrics, logger: logger, delivery: delivery,
                      catchUpInterval: .milliseconds(200))
    }

    /// Appends lesson completions to learning's outbox, `perTransaction` per commit.
    @discardableResult
    func append(_ events: [LessonCompleted], perTransaction: Int = 100) async throws -> [UUID] {
        var ids: [UUID] = []
        for start in stride(from: 0, to: events.count, by: perTransaction) {
            ids += try await client.transaction(logger: logger) { connection in
                var ids: [UUID] = []
                for event in events[start..<min(start + perTransaction, events.count)] {
                    ids.append(try await Outbox(schema: "learning").append(event, .init(subject: "user:\(event.userId)"),
                                                                          on: connection, logger: logger))
                }
                return ids
            }
        }
        return ids
    }

    /// Runs the given services while `body` runs.
    func running(_ services: [any ServiceLifecycleRunnable], _ body: () async throws -> Void) async throws {
        try await withThrowingTaskGroup(of: Void.self) { group in
            for service in services { group.addTask { try await service.run() } }
            defer { group.cancelAll() }
            try await body()
        }
    }

    /// A handler's effect, written in the consumer's transaction like a real handler's.
    static func recordEffect(_ event: EventEnvelope<LessonCompleted>, _ context: HandlerContext) async throws {
        try await context.connection.query("""
            INSERT INTO gamification.probe_effects (event_id, user_id, sequence)
            VALUES (\(event.header.id), \(event.payload.userId), \(event.header.sequence))
            """, logger: context.logger)
    }

    /// The users whose events took effect, in stream order.
    func effects() async throws -> [UUID] {
        var users: [UUID] = []
        for try await user in try await client.query("SELECT user_id FROM gamification.probe_effects ORDER BY sequence", logger: logger)
            .decode(UUID.self) { users.append(user) }
        return users
    }

    func cursor() async throws -> Int64 {
        try await scalar("SELECT coalesce(max(last_sequence), 0) FROM gamification.inbox_cursors WHERE source = 'learning'")
    }

    func scalar(_ sql: String) async throws -> Int64 {
        for try await value in try await client.query(PostgresQuery(unsafeSQL: sql), logger: logger).decode(Int64.self) { return value }
        return 0
    }

    /// Polls `condition` every 50 ms until it holds or `timeout` passes.
    func eventually(_ timeout: Duration = .seconds(90), _ condition: () async throws -> Bool) async throws -> Bool {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if try await condition() { return true }
            try await Task.sleep(for: .milliseconds(50))
        }
        return try await condition()
    }

    static func lesson(user: UUID = UUID(), xp: Int = 10) -> LessonCompleted {
        LessonCompleted(userId: user, lessonId: UUID(), courseId: UUID(), xpReward: xp, completedAt: Date())
    }
}

/// A ServiceLifecycle `Service` seen only through `run()`, so the rig can start any of them.
protocol ServiceLifecycleRunnable: Sendable {
    func run() async throws
}

extension OutboxRelay: ServiceLifecycleRunnable {}
extension ReplayServer: ServiceLifecycleRunnable {}
extension EventConsumer: ServiceLifecycleRunnable {}
extension RetentionJob: ServiceLifecycleRunnable {}
