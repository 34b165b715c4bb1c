import Contracts
import Foundation
import Logging
import PostgresNIO

/// One event as it arrived: its decoded header and the envelope bytes its handler decodes.
struct DeliveredEvent: Sendable {
    let header: EventHeader
    let envelope: Data
}

/// The consumer side's tables: cursors per source, the inbox of applied event ids, failures and
/// parked events. All of the consumer's SQL lives here.
struct InboxStore: Sendable {
    let schema: String
    let source: String
    let logger: Logger

    enum Outcome: Equatable {
        /// The cursor now stands at `cursor`; `applied` events ran (events at or below the old
        /// cursor were dropped).
        case applied(count: Int, cursor: Int64)
        /// The first new event is not the one after the stored cursor.
        case gap(cursor: Int64)
    }

    /// The stored cursor, creating its row on first use so applying events only ever updates it.
    func openCursor(client: PostgresClient) async throws -> Int64 {
        try await DatabaseDeadline.run { try await readCursor(client: client) }
    }

    private func readCursor(client: PostgresClient) async throws -> Int64 {
        let rows = try await client.query("""
            INSERT INTO \(unescaped: schema).inbox_cursors (source) VALUES (\(source))
            ON CONFLICT (source) DO UPDATE SET source = excluded.source
            RETURNING last_sequence
            """, logger: logger)
        for try await value in rows.decode(Int64.self) { return value }
        return 0
    }

    /// A part of a run applied in parts failed (not by a lost connection): the run is better
    /// applied again whole, where a failing event can be found.
    struct PartFailed: Error, CustomStringConvertible {
        let error: any Error
        var description: String { PostgresErrorText.describe(error) }
    }

    /// How a run may be applied in parts: at most `count` transactions at once, events with
    /// the same `key` in the same one (`Subscription.orderKey`).
    struct Split: Sendable {
        let count: Int
        let key: @Sendable (EventHeader) -> String
        /// Fewer events than this per part are not worth a transaction of their own.
        static let smallestPart = 32
    }

    /// Applies the consecutive run of `events` that follows the stored cursor. The cursor row
    /// lock, held by this transaction to the end, serialises replicas. Without `split` (or for a
    /// short run) the handlers' writes, the inbox rows and the new cursor commit together. With
    /// it, each part's inbox rows and writes commit in a transaction of their own, all at once,
    /// and the cursor moves once every part has committed: should one fail or the process die
    /// in between, the cursor still stands before the run, and applying it again skips what
    /// already committed by its inbox rows. `resolvingFailure` marks a retry of a failed event.
    func apply(_ events: [DeliveredEvent], handlers: EventHandlers, resolvingFailure: Bool, split: Split? = nil, outbox: Outbox,
               client: PostgresClient) async throws -> Outcome {
        // The parts have deadlines of their own, inside this one: the cursor's transaction always
        // ends (and lets go of the cursor row), whatever becomes of a part.
        try await DatabaseDeadline.run(split == nil ? DatabaseDeadline.standard : DatabaseDeadline.standard * 2) {
            try await client.transaction(logger: logger) { connection in
                try await applyRun(events, handlers: handlers, resolvingFailure: resolvingFailure, split: split, outbox: outbox,
                                   client: client, cursorConnection: connection)
            }
        }
    }

    private func applyRun(_ events: [DeliveredEvent], handlers: EventHandlers, resolvingFailure: Bool, split: Split?, outbox: Outbox,
                          client: PostgresClient, cursorConnection connection: PostgresConnection) async throws -> Outcome {
        let cursor = try await lockCursor(on: connection)
        let run = Self.consecutiveRun(events, after: cursor)
        guard let last = run.last else {
            let first = events.first { $0.header.sequence > cursor }
            return first == nil ? .applied(count: 0, cursor: cursor) : .gap(cursor: cursor)
        }
        let handled = run.filter { handlers.handles($0.header.type) }
        let parts = split.map { Self.parts(handled, split: $0) } ?? [handled]
        if parts.count > 1 {
            if let failure = await applyParts(parts, handlers: handlers, outbox: outbox, client: client) {
                throw PostgresErrorText.isConnectionLoss(failure) ? failure : PartFailed(error: failure)
            }
        } else {
            try await applyHandlers(handled, handlers: handlers, outbox: outbox, on: connection)
        }
        if resolvingFailure {
            try await connection.query("""
                UPDATE \(unescaped: schema).inbox_failures SET resolved_at = now(), retry_requested_at = NULL
                WHERE source = \(source) AND event_id = ANY(\(run.map(\.header.id))) AND resolved_at IS NULL
                """, logger: logger)
        }
        try await moveCursor(to: last.header.sequence, on: connection)
        return .applied(count: run.count, cursor: last.header.sequence)
    }

    /// Applies each part in a transaction of its own, all at once, and returns the first failure.
    /// A part that fails does not cancel the others: each commits or rolls back on its own
    /// (cancelling a query in flight is how PostgresNIO loses its answer).
    private func applyParts(_ parts: [[DeliveredEvent]], handlers: EventHandlers, outbox: Outbox,
                            client: PostgresClient) async -> (any Error)? {
        await withTaskGroup(of: (any Error)?.self) { group in
            for part in parts {
                group.addTask {
                    do {
                        try await DatabaseDeadline.run { try await client.transaction(logger: logger) { connection in
                            try await applyHandlers(part, handlers: handlers, outbox: outbox, on: connection)
                        } }
                        return nil
                    } catch {
                        return error
                    }
                }
            }
            var first: (any Error)?
            for await failure in group where first == nil { first = failure }
            return first
        }
    }

    /// Records `events` in the inbox and runs the handlers of those that were not there yet.
    private func applyHandlers(_ events: [DeliveredEvent], handlers: EventHandlers, outbox: Outbox,
                               on connection: PostgresConnection) async throws {
        let fresh = try await insertInboxRows(events.map(\.header), on: connection)
        try await handlers.run(events.filter { fresh.contains($0.header.id) },
                               BatchContext(connection: connection, outbox: outbox, logger: logger))
    }

    /// `events` dealt into at most `split.count` parts by key, each in stream order; a single
    /// part when the run is too short to be worth splitting.
    static func parts(_ events: [DeliveredEvent], split: Split) -> [[DeliveredEvent]] {
        let count = min(split.count, events.count / Split.smallestPart)
        guard count > 1 else { return [events] }
        var parts = Array(repeating: [DeliveredEvent](), count: count)
        for event in events {
            parts[Int(stableHash(split.key(event.header)) % UInt64(count))].append(event)
        }
        return parts.filter { !$0.isEmpty }
    }

    /// FNV-1a: the same part for the same key in every process (`Hasher` is seeded per process).
    private static func stableHash(_ key: String) -> UInt64 {
        key.utf8.reduce(0xcbf2_9ce4_8422_2325) { ($0 ^ UInt64($1)) &* 0x0000_0100_0000_01b3 }
    }

    /// The events that continue the stream right after `cursor`, up to the first hole.
    static func consecutiveRun(_ events: [DeliveredEvent], after cursor: Int64) -> [DeliveredEvent] {
        var run: [DeliveredEvent] = []
        var expected = cursor + 1
        for event in events where event.header.sequence >= expected {
            guard event.header.sequence == expected else { break }
            run.append(event)
            expected += 1
        }
        return run
    }

    /// Counts one more failed attempt of `event` and returns the total, kept across restarts.
    func recordFailure(_ event: DeliveredEvent, error: String, client: PostgresClient) async throws -> Int {
        let header = event.header
        return try await DatabaseDeadline.run { try await recordFailure(header, error: error, client: client) }
    }

    private func recordFailure(_ header: EventHeader, error: String, client: PostgresClient) async throws -> Int {
        let rows = try await client.query("""
            INSERT INTO \(unescaped: schema).inbox_failures (source, event_id, sequence, type, last_error)
            VALUES (\(source), \(header.id), \(header.sequence), \(header.type), \(error))
            ON CONFLICT (source, event_id) DO UPDATE
                SET attempts = inbox_failures.attempts + 1, last_error = excluded.last_error,
                    last_failed_at = now(), resolved_at = NULL
            RETURNING attempts
            """, logger: logger)
        for try await attempts in rows.decode(Int.self) { return attempts }
        return 1
    }

    /// Sets `event` aside with its envelope and moves the cursor past it, in one transaction, so
    /// the stream goes on and the event stays visible until `lyceum bus retry` re-queues it.
    func park(_ event: DeliveredEvent, client: PostgresClient) async throws -> Outcome {
        try await DatabaseDeadline.run { try await client.transaction(logger: logger) { connection in
            let cursor = try await lockCursor(on: connection)
            guard event.header.sequence == cursor + 1 else {
                return event.header.sequence <= cursor ? .applied(count: 0, cursor: cursor) : .gap(cursor: cursor)
            }
            try await connection.query("""
                UPDATE \(unescaped: schema).inbox_failures
                SET parked_at = now(), envelope = \(String(decoding: event.envelope, as: UTF8.self)), retry_requested_at = NULL
                WHERE source = \(source) AND event_id = \(event.header.id)
                """, logger: logger)
            try await moveCursor(to: event.header.sequence, on: connection)
            return .applied(count: 0, cursor: event.header.sequence)
        } }
    }

    /// Parked events an operator asked to retry, oldest first.
    func parkedForRetry(limit: Int, client: PostgresClient) async throws -> [DeliveredEvent] {
        try await DatabaseDeadline.run { try await readParkedForRetry(limit: limit, client: client) }
    }

    private func readParkedForRetry(limit: Int, client: PostgresClient) async throws -> [DeliveredEvent] {
        let rows = try await client.query("""
            SELECT envelope FROM \(unescaped: schema).inbox_failures
            WHERE source = \(source) AND parked_at IS NOT NULL AND resolved_at IS NULL AND retry_requested_at IS NOT NULL
            ORDER BY sequence LIMIT \(limit)
            """, logger: logger)
        var events: [DeliveredEvent] = []
        for try await envelope in rows.decode(String.self) {
            let data = Data(envelope.utf8)
            if let header = try? EventHeader.decode(from: data) { events.append(DeliveredEvent(header: header, envelope: data)) }
        }
        return events
    }

    /// Runs a parked event's handler once more, out of stream order (the cursor is long past it);
    /// its inbox row keeps a second retry from applying it twice.
    func retryParked(_ event: DeliveredEvent, handlers: EventHandlers, outbox: Outbox, client: PostgresClient) async throws {
        try await DatabaseDeadline.run { try await client.transaction(logger: logger) { connection in
            if handlers.handles(event.header.type) {
                try await applyHandlers([event], handlers: handlers, outbox: outbox, on: connection)
            }
            try await connection.query("""
                UPDATE \(unescaped: schema).inbox_failures SET resolved_at = now(), retry_requested_at = NULL
                WHERE source = \(source) AND event_id = \(event.header.id)
                """, logger: logger)
        } }
    }

    /// A retried parked event failed again: it stays parked with the new error until the next request.
    func recordParkedFailure(_ event: DeliveredEvent, error: String, client: PostgresClient) async throws {
        _ = try await DatabaseDeadline.run { try await client.query("""
            UPDATE \(unescaped: schema).inbox_failures
            SET attempts = attempts + 1, last_error = \(error), last_failed_at = now(), retry_requested_at = NULL
            WHERE source = \(source) AND event_id = \(event.header.id)
            """, logger: logger) }
    }

    func parkedCount(client: PostgresClient) async throws -> Int {
        try await DatabaseDeadline.run { try await readParkedCount(client: client) }
    }

    private func readParkedCount(client: PostgresClient) async throws -> Int {
        let rows = try await client.query("""
            SELECT count(*)::int FROM \(unescaped: schema).inbox_failures
            WHERE source = \(source) AND parked_at IS NOT NULL AND resolved_at IS NULL
            """, logger: logger)
        for try await count in rows.decode(Int.self) { return count }
        return 0
    }

    /// Deletes inbox rows older than the retention window, in bounded batches.
    func prune(olderThan retention: Duration, client: PostgresClient) async throws -> Int {
        let seconds = Double(retention.components.seconds)
        var total = 0
        while true {
            let deleted = try await client.query("""
                DELETE FROM \(unescaped: schema).inbox WHERE (source, event_id) IN (
                    SELECT source, event_id FROM \(unescaped: schema).inbox
                    WHERE processed_at < now() - make_interval(secs => \(seconds)) LIMIT 5000)
                RETURNING 1
                """, logger: logger).collect().count
            total += deleted
            if deleted < 5000 { return total }
        }
    }

    private func lockCursor(on connection: PostgresConnection) async throws -> Int64 {
        for try await value in try await connection.query(
            "SELECT last_sequence FROM \(unescaped: schema).inbox_cursors WHERE source = \(source) FOR UPDATE", logger: logger
        ).decode(Int64.self) { return value }
        return 0
    }

    private func moveCursor(to sequence: Int64, on connection: PostgresConnection) async throws {
        try await connection.query("""
            UPDATE \(unescaped: schema).inbox_cursors SET last_sequence = \(sequence), updated_at = now()
            WHERE source = \(source)
            """, logger: logger)
    }

    /// One statement for a whole batch; returns the ids that were not in the inbox yet.
    private func insertInboxRows(_ headers: [EventHeader], on connection: PostgresConnection) async throws -> Set<UUID> {
        guard !headers.isEmpty else { return [] }
        let rows = try await connection.query("""
            INSERT INTO \(unescaped: schema).inbox (source, event_id, sequence, type)
            SELECT \(source), * FROM unnest(\(headers.map(\.id))::uuid[], \(headers.map(\.sequence))::bigint[], \(headers.map(\.type))::text[])
            ON CONFLICT DO NOTHING RETURNING event_id
            """, logger: logger)
        var inserted: Set<UUID> = []
        for try await id in rows.decode(UUID.self) { inserted.insert(id) }
        return inserted
    }
}
