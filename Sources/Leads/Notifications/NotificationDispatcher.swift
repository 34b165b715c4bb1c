import Foundation
import Logging
import ServiceKit
import ServiceLifecycle

/// Sends due notifications: claims a batch (FOR UPDATE SKIP LOCKED, with a lease, so replicas
/// never take the same one), sends each through its channel's adapter, and records the outcome:
/// sent; retried after base·2^(attempt−1) (capped) while attempts remain; else failed. Runs in
/// every replica; a lost database connection is logged and the loop goes on a second later, and
/// every database call has a deadline (`DatabaseDeadline`: a query lost on a dying session would
/// otherwise stop the dispatcher for good).
final class NotificationDispatcher: Service, Sendable {
    let store: NotificationStore
    let settings: NotificationSettings
    let adapters: [NotificationChannel: any ChannelAdapter]
    let metrics: ServiceMetrics?
    let logger: Logger

    init(store: NotificationStore, settings: NotificationSettings, adapters: [NotificationChannel: any ChannelAdapter], metrics: ServiceMetrics?,
         logger: Logger) {
        self.store = store
        self.settings = settings
        self.adapters = adapters
        self.metrics = metrics
        self.logger = logger
    }

    /// The adapters the settings configure: SMTP for email, webhooks for sms and whatsapp.
    static func adapters(_ settings: NotificationSettings) -> [NotificationChannel: any ChannelAdapter] {
        var adapters: [NotificationChannel: any ChannelAdapter] = [:]
        if let smtp = settings.smtp { adapters[.email] = SMTPMailer(settings: smtp, timeout: settings.sendTimeout) }
        if let url = settings.smsWebhook { adapters[.sms] = WebhookSender(url: url, timeout: settings.sendTimeout) }
        if let url = settings.whatsappWebhook { adapters[.whatsapp] = WebhookSender(url: url, timeout: settings.sendTimeout) }
        return adapters
    }

    func run() async throws {
        try? await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                var handled = 0
                do {
                    handled = try await self.dispatchDue()
                } catch where !Task.isCancelled {
                    self.logger.error("notification dispatch failed; retrying", metadata: ["error": "\(PostgresErrorText.describe(error))"])
                    try? await Task.sleep(for: .seconds(1))
                }
                // A full batch: more may be due at once.
                if handled < self.settings.batchSize { try? await Task.sleep(for: self.settings.pollInterval) }
            }
        }
    }

    /// One round: expired leases back to pending, then one batch claimed and sent; how many were claimed.
    @discardableResult
    func dispatchDue() async throws -> Int {
        let released = try await DatabaseDeadline.run { try await self.store.releaseExpiredLeases(logger: self.logger) }
        if released > 0 { logger.warning("notifications whose dispatcher stopped mid-send are pending again", metadata: ["count": "\(released)"]) }
        let claimed = try await DatabaseDeadline.run { try await self.store.claim(limit: self.settings.batchSize, lease: self.settings.lease, logger: self.logger) }
        await withTaskGroup(of: Void.self) { group in
            for notification in claimed { group.addTask { await self.deliver(notification) } }
        }
        return claimed.count
    }

    private func deliver(_ notification: NotificationStore.Claimed) async {
        let outcome = await attempt(notification)
        do {
            switch outcome {
            case .sent(let providerMessageID):
                let recorded = try await DatabaseDeadline.run { try await self.store.markSent(notification, providerMessageID: providerMessageID, logger: self.logger) }
                if !recorded {
                    logger.warning("a notification was sent after its lease expired", metadata: ["notification": "\(notification.id)"])
                }
            case .retry(let error) where notification.attempt < notification.maxAttempts:
                let delay = settings.backoff(afterAttempts: notification.attempt)
                try await DatabaseDeadline.run { try await self.store.reschedule(notification, error: error, after: delay, logger: self.logger) }
            case .retry(let error), .permanent(let error):
                try await DatabaseDeadline.run { try await self.store.markFailed(notification, error: error, logger: self.logger) }
            }
        } catch {
            // The lease runs out and the notification is attempted again, with the same idempotency key.
            logger.error("notification outcome not recorded", metadata: ["notification": "\(notification.id)", "error": "\(PostgresErrorText.describe(error))"])
        }
        metrics?.counter("leads_notification_attempts_total", [("channel", notification.channel), ("outcome", Self.label(outcome))],
                         help: "Notification delivery attempts by channel and outcome").increment()
    }

    private func attempt(_ notification: NotificationStore.Claimed) async -> DeliveryOutcome {
        guard let channel = NotificationChannel(rawValue: notification.channel) else {
            return .permanent("channel \(notification.channel) is not one this service knows")
        }
        guard let adapter = adapters[channel] else {
            return .permanent("no adapter for channel \(channel) is configured (\(channel.configKey))")
        }
        guard let to = channel.contact(email: notification.email, phone: notification.phone) else {
            return .permanent("the lead has no \(channel.contactName)")
        }
        guard let template = NotificationTemplates.builtIn[notification.template] else {
            return .permanent("template \(notification.template) no longer exists")
        }
        let message = NotificationTemplates.render(template, variables: notification.variables, leadName: notification.leadName,
                                                   trackedLink: store.trackedLink(notification.trackingToken))
        return await adapter.send(OutgoingMessage(notificationID: notification.id, to: to, subject: message.subject, body: message.body,
                                                  idempotencyKey: notification.idempotencyKey))
    }

    private static func label(_ outcome: DeliveryOutcome) -> String {
        switch outcome {
        case .sent: "sent"
        case .retry: "retry"
        case .permanent: "permanent"
        }
    }
}
