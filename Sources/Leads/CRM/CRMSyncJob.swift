import Foundation
import Logging
import ServiceKit
import ServiceLifecycle

/// Pushes changed leads to the CRM: claims a batch (SKIP LOCKED with a lease, so replicas never
/// push the same lead at once), pushes up to four at a time through the client (whose pacer keeps
/// to the CRM's rate), and records each outcome: synced; retried after base·2^(attempt−1)
/// (capped) while attempts remain; else failed until the lead changes or staff re-queue it. Every
/// database call has a deadline (`DatabaseDeadline`), so a query lost on a dying session cannot stop the job.
final class CRMSyncJob: Service, Sendable {
    let store: CRMSyncStore
    let client: AmoCRMClient
    let settings: CRMSettings
    let metrics: ServiceMetrics?
    let logger: Logger
    static let concurrentPushes = 4

    init(store: CRMSyncStore, client: AmoCRMClient, settings: CRMSettings, metrics: ServiceMetrics?, logger: Logger) {
        self.store = store
        self.client = client
        self.settings = settings
        self.metrics = metrics
        self.logger = logger
    }

    func run() async throws {
        try? await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                var handled = 0
                do {
                    handled = try await self.syncDue()
                } catch where !Task.isCancelled {
                    self.logger.error("crm sync failed; retrying", metadata: ["error": "\(PostgresErrorText.describe(error))"])
                    try? await Task.sleep(for: .seconds(1))
                }
                if handled < self.settings.batchSize { try? await Task.sleep(for: self.settings.pollInterval) }
            }
        }
    }

    /// One round: expired leases back to pending, then one batch claimed and pushed; how many were claimed.
    @discardableResult
    func syncDue() async throws -> Int {
        let released = try await DatabaseDeadline.run { try await self.store.releaseExpiredLeases(logger: self.logger) }
        if released > 0 { logger.warning("leads whose crm push stopped midway are pending again", metadata: ["count": "\(released)"]) }
        let claimed = try await DatabaseDeadline.run { try await self.store.claim(limit: self.settings.batchSize, lease: self.settings.lease, logger: self.logger) }
        await withTaskGroup(of: Void.self) { group in
            for (index, lead) in claimed.enumerated() {
                if index >= Self.concurrentPushes { await group.next() }
                group.addTask { await self.push(lead) }
            }
        }
        return claimed.count
    }

    private func push(_ claimed: CRMSyncStore.Claimed) async {
        let outcome = await client.push(claimed.record)
        let retryable = claimed.attempt < settings.maxAttempts
        do {
            switch outcome {
            case .synced(let leadID, let contactID):
                let recorded = try await DatabaseDeadline.run {
                    try await self.store.markSynced(claimed, leadID: leadID, contactID: contactID, logger: self.logger)
                }
                if !recorded {
                    logger.warning("a crm push finished after its lease ran out", metadata: ["lead": "\(claimed.record.leadID)"])
                }
            case .retry(let error) where retryable:
                let delay = settings.backoff(afterAttempts: claimed.attempt)
                try await DatabaseDeadline.run { try await self.store.reschedule(claimed, error: error, after: delay, logger: self.logger) }
            case .recreate(let error) where retryable:
                try await DatabaseDeadline.run { try await self.store.reschedule(claimed, error: error, after: .zero, forgetIDs: true, logger: self.logger) }
            case .retry(let error), .recreate(let error), .permanent(let error):
                try await DatabaseDeadline.run { try await self.store.markFailed(claimed, error: error, logger: self.logger) }
                logger.warning("crm sync of a lead failed", metadata: ["lead": "\(claimed.record.leadID)", "error": "\(error)"])
            }
        } catch {
            // The lease runs out and the lead is pushed again (looked up first if it has no id yet).
            logger.error("crm outcome not recorded", metadata: ["lead": "\(claimed.record.leadID)", "error": "\(PostgresErrorText.describe(error))"])
        }
        metrics?.counter("leads_crm_pushes_total", [("outcome", Self.label(outcome))], help: "CRM pushes by outcome").increment()
    }

    private static func label(_ outcome: CRMOutcome) -> String {
        switch outcome {
        case .synced: "synced"
        case .retry: "retry"
        case .recreate: "recreate"
        case .permanent: "permanent"
        }
    }
}
