import Logging
import PostgresNIO
import ServiceLifecycle

/// Enforces the retention window: deletes published outbox rows and inbox rows older than it,
/// every `sweep`. Safe to run in every replica at once (deletes are idempotent and
/// `pruned_through` only grows).
public final class RetentionJob: Service, Sendable {
    let outboxRows: OutboxRows
    let inboxSchema: String
    let client: PostgresClient
    let retention: Duration
    let sweep: Duration
    let metrics: ServiceMetrics
    let logger: Logger

    public init(schema: String, source: String, client: PostgresClient, retention: Duration, sweep: Duration,
                metrics: ServiceMetrics, logger: Logger) {
        self.outboxRows = OutboxRows(schema: SQLIdentifier.checked(schema), source: source)
        self.inboxSchema = SQLIdentifier.checked(schema)
        self.client = client
        self.retention = retention
        self.sweep = sweep
        self.metrics = metrics
        self.logger = logger
    }

    public func run() async throws {
        try? await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                await self.runOnce()
                try await Task.sleep(for: self.sweep)
            }
        }
    }

    /// One pass; returns the outbox and inbox rows deleted.
    @discardableResult
    public func runOnce() async -> (outbox: Int, inbox: Int) {
        do {
            let outbox = try await outboxRows.prune(olderThan: retention, client: client, logger: logger)
            let inbox = try await InboxStore(schema: inboxSchema, source: outboxRows.source, logger: logger)
                .prune(olderThan: retention, client: client)
            metrics.counter("bus_retention_deleted_total", [("table", "outbox")], help: "Rows deleted by the retention job").increment(by: Int64(outbox))
            metrics.counter("bus_retention_deleted_total", [("table", "inbox")], help: "Rows deleted by the retention job").increment(by: Int64(inbox))
            if outbox + inbox > 0 {
                logger.info("retention job deleted old rows", metadata: ["outbox": "\(outbox)", "inbox": "\(inbox)", "window": "\(DurationText.format(retention))"])
            }
            return (outbox, inbox)
        } catch {
            logger.warning("retention job failed; will try again", metadata: ["error": "\(PostgresErrorText.describe(error))"])
            return (0, 0)
        }
    }
}
