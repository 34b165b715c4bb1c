import Contracts
import Foundation
import Logging
import MessageBus
import PostgresNIO
import ServiceKit
import Synchronization

/// The bus end to end, in this process: a producer's outbox (`bench_producer`), its relay and
/// replay endpoint, and a consumer (`bench_consumer`) whose handler writes one row per event —
/// the same ServiceKit types every service runs. Measures outbox insert to consumer commit.
struct BusBenchmark {
    static let producer = ServiceIdentity(name: "bench", schema: "bench_producer", eventSource: "bench", configKey: "bench",
                                          defaultHTTPPort: 0, defaultPublishPort: 0, defaultReplayPort: 0)
    static let consumerSchema = "bench_consumer"

    struct Tick: EventPayload {
        static let eventType = "bench.tick"
        static let eventVersion = 1
        var number: Int
    }

    let client: PostgresClient
    let migrations: URL
    let logger: Logger

    /// Fresh bench schemas with the platform tables, dropped again by `tearDown`.
    func setUp() async throws {
        try await tearDown()
        let runner = MigrationRunner(client: client, directory: migrations, logger: logger)
        for schema in [Self.producer.schema, Self.consumerSchema] {
            _ = try await runner.migrate(schema: schema)
        }
        try await client.query("CREATE TABLE bench_consumer.effects (event_id uuid PRIMARY KEY, number integer NOT NULL)", logger: logger)
        try await client.query("CREATE TABLE bench_producer.baseline (id bigserial PRIMARY KEY, body text NOT NULL)", logger: logger)
    }

    func tearDown() async throws {
        for schema in [Self.producer.schema, Self.consumerSchema] {
            try await client.query("DROP SCHEMA IF EXISTS \(unescaped: schema) CASCADE", logger: logger)
        }
    }

    /// How the bench consumer's handler writes its row per event.
    enum HandlerStyle {
        /// One INSERT per event (`EventHandlers.on`): a round trip each.
        case perEvent
        /// One INSERT per run of events (`EventHandlers.onBatch`).
        case batched
    }

    /// Runs `body` while a relay, a replay server and a consumer are live; `applied` hears of
    /// every committed event.
    func withPipeline<T: Sendable>(handler style: HandlerStyle = .perEvent, applied: @escaping @Sendable ([EventHeader]) -> Void,
                                   _ body: () async throws -> T) async throws -> T {
        let bus = try BusContext(logger: logger)
        defer { bus.shutdown() }
        let metrics = ServiceMetrics()
        let publisher = try PublisherSocket(context: bus, bind: "tcp://127.0.0.1:*")
        let responder = try BusResponder(context: bus, bind: "tcp://127.0.0.1:*")
        var handlers = EventHandlers()
        switch style {
        case .perEvent:
            handlers.on(Tick.self) { event, context in
                try await context.connection.query(
                    "INSERT INTO bench_consumer.effects (event_id, number) VALUES (\(event.header.id), \(event.payload.number))",
                    logger: context.logger)
            }
        case .batched:
            handlers.onBatch(Tick.self) { events, context in
                try await context.connection.query("""
                    INSERT INTO bench_consumer.effects (event_id, number)
                    SELECT * FROM unnest(\(events.map(\.header.id))::uuid[], \(events.map(\.payload.number))::integer[])
                    """, logger: context.logger)
            }
        }
        let source = Self.producer.eventSource
        let relay = OutboxRelay(schema: Self.producer.schema, source: source, client: client, publisher: publisher,
                                metrics: metrics, logger: logger)
        let replay = ReplayServer(responder: responder, schema: Self.producer.schema, source: source, client: client,
                                  metrics: metrics, logger: logger)
        let consumer = EventConsumer(
            schema: Self.consumerSchema, subscription: Subscription(producer: Self.producer, handlers: handlers),
            endpoints: BusEndpoints(publish: publisher.endpoint, replay: responder.endpoint), busContext: bus, client: client,
            metrics: metrics, logger: logger, onApplied: applied)
        return try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await relay.run() }
            group.addTask { try await replay.run() }
            group.addTask { try await consumer.run() }
            defer { group.cancelAll() }
            return try await body()
        }
    }

    /// Appends `count` events from `writers` concurrent connections, `perTransaction` per commit.
    func produce(_ count: Int, writers: Int, perTransaction: Int, firstNumber: Int = 0) async throws {
        let outbox = Outbox(schema: Self.producer.schema)
        try await withThrowingTaskGroup(of: Void.self) { group in
            for writer in 0..<writers {
                group.addTask {
                    let mine = Array(stride(from: firstNumber + writer, to: firstNumber + count, by: writers))
                    for chunk in stride(from: 0, to: mine.count, by: perTransaction) {
                        let events = mine[chunk..<min(chunk + perTransaction, mine.count)].map {
                            (payload: Tick(number: $0), metadata: Outbox.Metadata(subject: "bench:\($0)"))
                        }
                        try await client.transaction(logger: logger) { connection in
                            try await outbox.append(contentsOf: events, on: connection, logger: logger)
                        }
                    }
                }
            }
            try await group.waitForAll()
        }
    }

    /// One event per transaction at `rate` per second for `duration`, from two writers.
    func produce(rate: Int, for duration: Duration, firstNumber: Int) async throws -> Int {
        let total = rate * Int(duration.components.seconds)
        let interval = Duration.seconds(1) / rate
        let start = ContinuousClock.now
        let outbox = Outbox(schema: Self.producer.schema)
        try await withThrowingTaskGroup(of: Void.self) { group in
            for writer in 0..<2 {
                group.addTask {
                    for index in stride(from: writer, to: total, by: 2) {
                        try await Task.sleep(until: start + interval * index, clock: .continuous)
                        _ = try await client.transaction(logger: logger) { connection in
                            try await outbox.append(Tick(number: firstNumber + index), .init(subject: "bench"), on: connection, logger: logger)
                        }
                    }
                }
            }
            try await group.waitForAll()
        }
        return total
    }

    /// Baseline: single-row INSERTs, one client, autocommit, for `duration`.
    func singleRowInsertRate(for duration: Duration) async throws -> Double {
        let start = ContinuousClock.now
        var rows = 0
        try await client.withConnection { connection in
            while ContinuousClock.now - start < duration {
                try await connection.query("INSERT INTO bench_producer.baseline (body) VALUES (\("row \(rows)"))", logger: logger)
                rows += 1
            }
        }
        return Double(rows) / (ContinuousClock.now - start).timeInterval
    }

    /// Baseline: ZeroMQ PUB to SUB over loopback TCP through our binding, 200-byte messages.
    static func zeroMQRate(messages: Int, logger: Logger) async throws -> (rate: Double, delivered: Int) {
        let bus = try BusContext(logger: logger)
        defer { bus.shutdown() }
        let publisher = try PublisherSocket(context: bus, bind: "tcp://127.0.0.1:*", highWaterMark: Int32(messages + 1000))
        let subscriber = try SubscriberSocket(context: bus, connect: [publisher.endpoint], prefixes: ["b"])
        defer { subscriber.close() }
        let warmedUp = Mutex(false)
        let receiver = Task {
            var delivered = 0
            for await frames in subscriber.messages {
                if frames.count == 1 {
                    warmedUp.withLock { $0 = true }
                } else {
                    delivered += 1
                    if delivered == messages { break }
                }
            }
            return (delivered, ContinuousClock.now)
        }
        // A SUB only hears what is sent after its subscription reached the PUB: wait for that.
        while !warmedUp.withLock({ $0 }) {
            try publisher.send([Data("b-warm-up".utf8)])
            try await Task.sleep(for: .milliseconds(20))
        }
        let body = Data(repeating: 0x2A, count: 200)
        let start = ContinuousClock.now
        for _ in 0..<messages { try publisher.send([Data("b".utf8), body]) }
        let watchdog = Task {
            try await Task.sleep(for: .seconds(30))
            receiver.cancel()
        }
        let (delivered, end) = await receiver.value
        watchdog.cancel()
        return (Double(delivered) / (end - start).timeInterval, delivered)
    }
}
