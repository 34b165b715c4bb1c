import Contracts
import Foundation
import Logging
import MessageBus
import PostgresNIO
import ServiceLifecycle
import Synchronization

/// The one relay of a service (a session advisory lock elects it among replicas): numbers
/// committed outbox rows with the next stream sequences, publishes them on the PUB socket, moves
/// the stream's published watermark past them (with the next round's statement) and sends a
/// heartbeat every second. While rows keep coming it polls every `busyPoll`; once idle it marks
/// itself waiting, and then a NOTIFY on commit wakes it (plus a sweep every `sweepInterval` in
/// case one was missed).
public final class OutboxRelay: Service, Sendable {
    public static let batchSize = 500

    let schema: String
    let source: String
    let client: PostgresClient
    let publisher: PublisherSocket
    let metrics: ServiceMetrics
    let logger: Logger
    let sweepInterval: Duration
    let heartbeatInterval: Duration
    private let wake = WakeSignal()
    private let latestPublished = Mutex<Int64>(0)
    private let connected = Mutex(false)

    public init(schema: String, source: String, client: PostgresClient, publisher: PublisherSocket, metrics: ServiceMetrics,
                logger: Logger, sweepInterval: Duration = .milliseconds(500), heartbeatInterval: Duration = .seconds(1)) {
        self.schema = SQLIdentifier.checked(schema)
        self.source = source
        self.client = client
        self.publisher = publisher
        self.metrics = metrics
        self.logger = logger
        self.sweepInterval = sweepInterval
        self.heartbeatInterval = heartbeatInterval
    }

    /// Leading, or standing by with a live database session while another replica leads.
    public var isHealthy: Bool { connected.withLock { $0 } }

    public func run() async throws {
        try? await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                do {
                    try await self.client.withConnection { connection in
                        do {
                            try await self.leadWhenElected(on: connection)
                        } catch {
                            // A dead session took its lock with it (and would never answer).
                            if !PostgresErrorText.isConnectionLoss(error) { await self.releaseLeadership(on: connection) }
                            throw error
                        }
                        await self.releaseLeadership(on: connection)
                    }
                } catch where !Task.isCancelled {
                    self.logger.error("outbox relay failed; retrying", metadata: ["error": "\(PostgresErrorText.describe(error))"])
                    self.connected.withLock { $0 = false }
                    try? await Task.sleep(for: .seconds(1))
                }
            }
        }
    }

    /// The pooled connection outlives this relay's turn, and a session advisory lock would go
    /// with it: release it, even when cancelled, so the next relay (here or in a replica) can lead.
    private func releaseLeadership(on connection: PostgresConnection) async {
        connected.withLock { $0 = false }
        guard !connection.isClosed else { return }
        await Task { [logger] in
            _ = try? await DatabaseDeadline.run(.seconds(5)) {
                try await connection.query("RESET enable_seqscan", logger: logger)
                return try await connection.query("SELECT pg_advisory_unlock_all()", logger: logger)
            }
        }.value
    }

    private func leadWhenElected(on connection: PostgresConnection) async throws {
        let lockKey = "lyceum.relay.\(schema)"
        connected.withLock { $0 = true }
        while !Task.isCancelled {
            try connection.ensureOpen()
            let acquired = try await DatabaseDeadline.run { [logger] in
                let rows = try await connection.query("SELECT pg_try_advisory_lock(hashtextextended(\(lockKey), 0))", logger: logger)
                for try await value in rows.decode(Bool.self) { return value }
                return false
            }
            if acquired { break }
            try await Task.sleep(for: .seconds(2))
        }
        // The outbox grows and shrinks by thousands of rows between analyses: planned while it
        // looked small, the numbering scanned the whole table every round (383 scans, 1.7 million
        // rows read in 6 s of lesson completions). Every relay statement has its index; this
        // session is the relay's alone until `releaseLeadership` resets it.
        try await DatabaseDeadline.run { [logger] in try await connection.query("SET enable_seqscan = off", logger: logger) }
        try await connection.listen(on: "\(schema)_outbox") { notifications in
            // Not a child task: when the connection dies, the notification sequence neither ends
            // nor honours cancellation, and a task group would wait for it forever.
            let pump = Task { [wake] in
                for try await _ in notifications { wake.signal() }
            }
            defer { pump.cancel() }
            try await self.relayLoop(on: connection)
        }
    }

    private func relayLoop(on connection: PostgresConnection) async throws {
        let rows = OutboxRows(schema: schema, source: source)
        let latest = try await DatabaseDeadline.run { [logger] in try await rows.latestSequence(on: connection, logger: logger) }
        // What an earlier relay numbered but did not get onto the bus goes first, in order.
        try await DatabaseDeadline.run { try await self.resendUnpublished(rows, on: connection) }
        var sent: Int64 = 0
        var nextHeartbeat = ContinuousClock.now
        var waiting = true
        try await setWaiting(true, on: connection)
        while !Task.isCancelled {
            try connection.ensureOpen()
            let events = try await DatabaseDeadline.run { [logger, sent] in
                try await rows.numberCommitted(limit: Self.batchSize, publishedThrough: sent, on: connection, logger: logger)
            }
            sent = try publish(events) ?? sent
            if ContinuousClock.now >= nextHeartbeat {
                sendHeartbeat(fallback: latest)
                nextHeartbeat = ContinuousClock.now + heartbeatInterval
            }
            if events.count == Self.batchSize { continue }
            if !events.isEmpty {
                // Busy: writers stop notifying (see migration 0003), so look again shortly.
                if waiting {
                    try await setWaiting(false, on: connection)
                    waiting = false
                }
                await wake.wait(timeout: Self.busyPoll)
                continue
            }
            if !waiting {
                // Nothing now: ask writers to notify, then look once more for what committed meanwhile.
                try await setWaiting(true, on: connection)
                waiting = true
                continue
            }
            await wake.wait(timeout: min(sweepInterval, heartbeatInterval))
        }
    }

    /// How soon a busy relay looks for more rows: the latency it adds under load.
    static let busyPoll: Duration = .milliseconds(3)

    private func setWaiting(_ waiting: Bool, on connection: PostgresConnection) async throws {
        try await DatabaseDeadline.run { [logger, schema] in
            try await connection.query("UPDATE \(unescaped: schema).outbox_stream SET relay_waiting = \(waiting)", logger: logger)
        }
    }

    /// Sends `events` in order; returns the last sequence sent, for the watermark next round.
    /// A failed send throws: the relay restarts and sends every row past the watermark again.
    private func publish(_ events: [OutboxRows.Event]) throws -> Int64? {
        guard let last = events.last else { return nil }
        for event in events {
            try publisher.send([Data(event.type.utf8), event.envelope])
        }
        latestPublished.withLock { $0 = max($0, last.sequence) }
        metrics.counter("bus_events_published_total", [("source", source)], help: "Events published on the bus").increment(by: Int64(events.count))
        metrics.gauge("bus_latest_sequence", [("source", source)], help: "Latest published sequence").set(Double(last.sequence))
        return last.sequence
    }

    private func resendUnpublished(_ rows: OutboxRows, on connection: PostgresConnection) async throws {
        while true {
            try connection.ensureOpen()
            let watermark = try await rows.stream(on: connection, logger: logger).publishedThrough
            let events = try await rows.sequenced(after: watermark, limit: Self.batchSize, on: connection, logger: logger)
            guard let sent = try publish(events) else { return }
            try await rows.markPublished(through: sent, on: connection, logger: logger)
            if events.count < Self.batchSize { return }
        }
    }

    private func sendHeartbeat(fallback: Int64) {
        let sequence = latestPublished.withLock { max($0, fallback) }
        do {
            let body = try LyceumJSON.encoder().encode(Heartbeat(source: source, sequence: sequence, sentAt: Date()))
            try publisher.send([Data(Topics.heartbeat(source).utf8), body])
        } catch {
            logger.warning("heartbeat not sent", metadata: ["error": "\(error)"])
        }
    }
}
