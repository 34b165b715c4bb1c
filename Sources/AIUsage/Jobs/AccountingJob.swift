import Contracts
import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Logging
import ServiceKit
import ServiceLifecycle

/// Every `AI_USAGE_ALERT_INTERVAL_MS`: fires budget alerts no ingest fired, POSTs due alerts to
/// `AI_USAGE_ALERT_WEBHOOK` (JSON `{type, alert, contacts}`, `Idempotency-Key` the alert id;
/// 2xx: sent; 408, 429, 5xx and network errors: retried with backoff until the attempts are
/// spent; other 4xx: failed). About once a minute (and at start) it folds the roll-up stripes of
/// finished days and months into one row each, and deletes holds that ended over a day ago.
final class AccountingJob: Service, Sendable {
    let store: AccountingJobStore
    let settings: AIUsageSettings
    let logger: Logger
    static let lease: Duration = .seconds(60)

    init(store: AccountingJobStore, settings: AIUsageSettings, logger: Logger) {
        self.store = store
        self.settings = settings
        self.logger = logger
    }

    func run() async throws {
        try? await cancelWhenGracefulShutdown {
            var rounds = 0
            let housekeepingEvery = max(1, 60_000 / self.settings.alertIntervalMilliseconds)
            // The first round comes one interval after start, like every other: a replica starting
            // does not race the ingests it is about to serve, and an interval set long keeps the
            // job out of the way entirely (as the tests that fold by hand rely on).
            while !Task.isCancelled {
                try? await Task.sleep(for: .milliseconds(self.settings.alertIntervalMilliseconds))
                guard !Task.isCancelled else { return }
                do {
                    try await self.round(housekeeping: rounds % housekeepingEvery == 0)
                } catch where !Task.isCancelled {
                    self.logger.error("accounting job round failed; retrying", metadata: ["error": "\(PostgresErrorText.describe(error))"])
                }
                rounds += 1
            }
        }
    }

    func round(housekeeping: Bool) async throws {
        let fired = try await DatabaseDeadline.run { try await self.store.fireMissed(logger: self.logger) }
        if fired > 0 { logger.info("budget alerts fired by the alert job", metadata: ["count": "\(fired)"]) }
        if let url = settings.alertWebhook {
            let due = try await DatabaseDeadline.run { try await self.store.claim(limit: 20, lease: Self.lease, logger: self.logger) }
            for item in due { try await deliver(item, to: url) }
        }
        if housekeeping {
            _ = try await DatabaseDeadline.run { try await self.store.foldRollups(logger: self.logger) }
            _ = try await DatabaseDeadline.run { try await self.store.sweepHolds(logger: self.logger) }
        }
    }

    private struct Body: Encodable {
        var type: String
        var alert: BudgetAlert
        var contacts: [String]
    }

    private func deliver(_ item: AccountingJobStore.Due, to url: URL) async throws {
        var request = URLRequest(url: url, timeoutInterval: 10)
        request.httpMethod = "POST"
        request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        request.setValue(item.alert.alertId.uuidString.lowercased(), forHTTPHeaderField: "Idempotency-Key")
        let type = item.alert.level == "exceeded" ? BudgetExceeded.eventType : BudgetThresholdReached.eventType
        request.httpBody = try LyceumJSON.encoder().encode(Body(type: type, alert: item.alert, contacts: item.contacts))
        var error: String
        var retryable = true
        do {
            let (data, response) = try await URLSession.shared.data(for: request)
            let status = (response as? HTTPURLResponse)?.statusCode ?? 0
            if (200..<300).contains(status) {
                try await DatabaseDeadline.run { try await self.store.markSent(item.alert.alertId, logger: self.logger) }
                return
            }
            error = "HTTP \(status) \(String(decoding: data.prefix(300), as: UTF8.self))"
            retryable = [408, 429].contains(status) || status >= 500
        } catch let failure {
            error = failure.localizedDescription
        }
        let delay = retryable && item.attempt < settings.alertWebhookAttempts
            ? Backoff.delay(afterAttempts: item.attempt, base: .seconds(1), cap: .seconds(300)) : nil
        let message = error
        if delay == nil { logger.warning("budget alert webhook failed for good", metadata: ["alert": "\(item.alert.alertId)", "error": "\(message)"]) }
        try await DatabaseDeadline.run { try await self.store.markFailed(item.alert.alertId, error: message, retryAfter: delay, logger: self.logger) }
    }
}
