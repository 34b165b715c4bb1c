import Contracts
import Foundation
import LyceumTestSupport
import MessageBus
import PostgresNIO
import ServiceKit
import Synchronization
import Testing

/// A failing handler is recorded and retried, never skipped; once it succeeds the event is
/// applied once and its failure record is resolved.
@Suite struct ConsumerRetryTests {
    @Test func aFailingHandlerIsRetriedRecordedAndResolved() async throws {
        try await TestPostgres.withDatabase { url in
            try await TestPostgres.withClient(url) { client in
                let logger = TestPostgres.logger
                let runner = MigrationRunner(client: client, directory: MigrationRunnerTests.repositoryMigrations, logger: logger)
                try await runner.migrate(schema: "learning")
                try await runner.migrate(schema: "gamification")

                let bus = try BusContext()
                defer { bus.shutdown() }
                let metrics = ServiceMetrics()
                let publisher = try PublisherSocket(context: bus, bind: "tcp://127.0.0.1:*")
                let responder = try BusResponder(context: bus, bind: "tcp://127.0.0.1:*")
                let attempts = Mutex(0)
                var handlers = EventHandlers()
                handlers.on(LessonCompleted.self) { _, _ in
                    let attempt = attempts.withLock { $0 += 1; return $0 }
                    if attempt < 3 { throw ProbeFailure(attempt: attempt) }
                }
                let relay = OutboxRelay(schema: "learning", source: "learning", client: client, publisher: publisher, metrics: metrics, logger: logger)
                let replay = ReplayServer(responder: responder, schema: "learning", source: "learning", client: client, metrics: metrics, logger: logger)
                let consumer = EventConsumer(schema: "gamification", subscription: Subscription(producer: .learning, handlers: handlers),
                                  endpoints: BusEndpoints(publish: publisher.endpoint, replay: responder.endpoint),
                                  busContext: bus, client: client, metrics: metrics, logger: logger)
                try await client.transaction(logger: logger) { connection in
                    let event = LessonCompleted(userId: UUID(), lessonId: UUID(), courseId: UUID(), xpReward: 10, completedAt: Date())
                    try await Outbox(schema: "learning").append(event, .init(subject: "user:test"), on: connection, logger: logger)
                }

                try await withThrowingTaskGroup(of: Void.self) { group in
                    group.addTask { try await relay.run() }
                    group.addTask { try await replay.run() }
                    group.addTask { try await consumer.run() }
                    let deadline = ContinuousClock.now + .seconds(120)
                    var cursor: Int64 = 0
                    while cursor < 1, ContinuousClock.now < deadline {
                        try await Task.sleep(for: .milliseconds(100))
                        for try await value in try await client.query(
                            "SELECT last_sequence FROM gamification.inbox_cursors WHERE source = 'learning'"
                        ).decode(Int64.self) { cursor = value }
                    }
                    group.cancelAll()
                    #expect(cursor == 1)
                }

                #expect(attempts.withLock { $0 } == 3)
                var failure: (Int, String, Bool)?
                for try await row in try await client.query(
                    "SELECT attempts, last_error, resolved_at IS NOT NULL FROM gamification.inbox_failures"
                ).decode((Int, String, Bool).self) { failure = row }
                #expect(failure?.0 == 2)
                #expect(failure?.1.contains("attempt 2") == true)
                #expect(failure?.2 == true)
                #expect(metrics.registry.emitToString().contains("bus_handler_failures_total"))
            }
        }
    }
}

struct ProbeFailure: Error, CustomStringConvertible {
    let attempt: Int
    var description: String { "probe handler failed on attempt \(attempt)" }
}
