import Foundation
import Logging
import PostgresNIO

/// The operator's view of event delivery across services (`lyceum bus status|retry`): reads every
/// service's cursors, failures and stream counters with an administrator connection.
public struct BusAdministration: Sendable {
    let client: PostgresClient
    let logger: Logger

    public init(client: PostgresClient, logger: Logger) {
        self.client = client
        self.logger = logger
    }

    /// One consumer's position in one producer's stream.
    public struct ConsumerStatus: Codable, Sendable, Equatable {
        public var consumer: String
        public var source: String
        public var cursor: Int64
        public var latestSequence: Int64
        public var lagEvents: Int64
        /// How long the oldest event not yet applied has been waiting; nil when it is no longer
        /// in the producer's outbox (past the retention window).
        public var lagSeconds: Double?
        public var failing: Int
        public var parked: Int
    }

    public struct ParkedEvent: Codable, Sendable, Equatable {
        public var consumer: String
        public var source: String
        public var eventId: UUID
        public var sequence: Int64
        public var type: String
        public var attempts: Int
        public var lastError: String
        public var parkedAt: Date
        public var retryRequested: Bool
    }

    public func status(of services: [ServiceIdentity] = ServiceIdentity.all) async throws -> [ConsumerStatus] {
        var statuses: [ConsumerStatus] = []
        for consumer in services where try await hasTable(consumer.schema, "inbox_cursors") {
            let schema = SQLIdentifier.checked(consumer.schema)
            let rows = try await client.query("""
                SELECT c.source, c.last_sequence,
                       count(f.event_id) FILTER (WHERE f.parked_at IS NULL)::int,
                       count(f.event_id) FILTER (WHERE f.parked_at IS NOT NULL)::int
                FROM \(unescaped: schema).inbox_cursors c
                LEFT JOIN \(unescaped: schema).inbox_failures f ON f.source = c.source AND f.resolved_at IS NULL
                GROUP BY c.source, c.last_sequence ORDER BY c.source
                """, logger: logger)
            for try await (source, cursor, failing, parked) in rows.decode((String, Int64, Int, Int).self) {
                let (latest, waiting) = try await producerPosition(source: source, after: cursor)
                statuses.append(ConsumerStatus(
                    consumer: consumer.name, source: source, cursor: cursor, latestSequence: latest,
                    lagEvents: max(0, latest - cursor), lagSeconds: latest > cursor ? waiting : 0, failing: failing, parked: parked))
            }
        }
        return statuses
    }

    public func parkedEvents(of services: [ServiceIdentity] = ServiceIdentity.all, limit: Int = 50) async throws -> [ParkedEvent] {
        var events: [ParkedEvent] = []
        for consumer in services where try await hasTable(consumer.schema, "inbox_failures") {
            let rows = try await client.query("""
                SELECT source, event_id, sequence, type, attempts, last_error, parked_at, retry_requested_at IS NOT NULL
                FROM \(unescaped: SQLIdentifier.checked(consumer.schema)).inbox_failures
                WHERE parked_at IS NOT NULL AND resolved_at IS NULL ORDER BY source, sequence LIMIT \(limit)
                """, logger: logger)
            for try await (source, id, sequence, type, attempts, error, parkedAt, requested) in rows.decode(
                (String, UUID, Int64, String, Int, String, Date, Bool).self
            ) {
                events.append(ParkedEvent(consumer: consumer.name, source: source, eventId: id, sequence: sequence, type: type,
                                          attempts: attempts, lastError: error, parkedAt: parkedAt, retryRequested: requested))
            }
        }
        return events
    }

    /// Re-queues parked events (all, or one consumer's, one source's, one event); the consumer
    /// runs them on its next tick. Returns how many were re-queued.
    public func requestRetry(consumers: [ServiceIdentity] = ServiceIdentity.all, source: String? = nil, eventID: UUID? = nil) async throws -> Int {
        var total = 0
        for consumer in consumers where try await hasTable(consumer.schema, "inbox_failures") {
            total += try await client.query("""
                UPDATE \(unescaped: SQLIdentifier.checked(consumer.schema)).inbox_failures SET retry_requested_at = now()
                WHERE parked_at IS NOT NULL AND resolved_at IS NULL
                  AND (\(source)::text IS NULL OR source = \(source)) AND (\(eventID)::uuid IS NULL OR event_id = \(eventID))
                RETURNING 1
                """, logger: logger).collect().count
        }
        return total
    }

    /// The producer's latest sequence and the age of the event right after `cursor`.
    private func producerPosition(source: String, after cursor: Int64) async throws -> (Int64, Double?) {
        guard let producer = ServiceIdentity.all.first(where: { $0.eventSource == source }),
              try await hasTable(producer.schema, "outbox_stream") else { return (cursor, 0) }
        let schema = SQLIdentifier.checked(producer.schema)
        let rows = try await client.query("""
            SELECT s.last_sequence, (SELECT extract(epoch FROM now() - o.sequenced_at)::float8
                                     FROM \(unescaped: schema).outbox o WHERE o.sequence = \(cursor + 1))
            FROM \(unescaped: schema).outbox_stream s
            """, logger: logger)
        for try await (latest, age) in rows.decode((Int64, Double?).self) { return (latest, age) }
        return (cursor, 0)
    }

    private func hasTable(_ schema: String, _ table: String) async throws -> Bool {
        let rows = try await client.query("SELECT to_regclass(\("\(schema).\(table)")) IS NOT NULL", logger: logger)
        for try await exists in rows.decode(Bool.self) { return exists }
        return false
    }
}
