import Foundation
import LyceumTestSupport
@testable import Leads
import Logging
import ServiceKit
import Testing

/// Dispatchers side by side on one database (replicas) never send one notification twice.
@Suite struct NotificationConcurrencyTests {
    @Test func threeDispatchersSendEachNotificationExactlyOnce() async throws {
        let webhook = try FakeWebhook()
        var extra = LeadsHarness.fastDispatch(webhook: webhook)
        extra["LEADS_NOTIFICATIONS_BATCH"] = "3"
        try await LeadsHarness.with(extra) { app in
            let lead = try await app.lead(#"{"phone": "8 701 123 45 67"}"#)
            let total = 40
            for index in 0..<total {
                let (status, _) = try await app.schedule(lead, #"{"channel": "sms", "template": "welcome", "scheduled_at": "\#(LeadsHarness.tomorrow)", "idempotency_key": "many-\#(index)"}"#)
                #expect(status == .created)
            }
            // Two more dispatchers, as in two more replicas, besides the service's own.
            let settings = NotificationSettings(smsWebhook: URL(string: webhook.url), batchSize: 3)
            let store = NotificationStore(database: app.database, outbox: Outbox(schema: "leads"), publicURL: settings.publicURL)
            let dispatchers = (0..<2).map { _ in
                NotificationDispatcher(store: store, settings: settings, adapters: NotificationDispatcher.adapters(settings), metrics: nil,
                                       logger: Logger(label: "test-dispatcher"))
            }
            // Everything falls due at once.
            #expect(try await app.count("""
                WITH due AS (UPDATE leads.scheduled_notifications SET next_attempt_at = now() RETURNING 1) SELECT count(*)::int FROM due
                """) == total)
            try await withThrowingTaskGroup(of: Void.self) { group in
                for dispatcher in dispatchers {
                    group.addTask {
                        let deadline = ContinuousClock.now + .seconds(90)
                        while ContinuousClock.now < deadline {
                            if try await dispatcher.dispatchDue() == 0 {
                                if try await app.count("SELECT count(*)::int FROM leads.scheduled_notifications WHERE status <> 'sent'") == 0 { return }
                                try await Task.sleep(for: .milliseconds(10))
                            }
                        }
                    }
                }
                try await group.waitForAll()
            }
            #expect(try await app.count("SELECT count(*)::int FROM leads.scheduled_notifications WHERE status = 'sent' AND attempts = 1") == total)
            let keys = webhook.requests.compactMap { $0.headers["idempotency-key"] }
            #expect(keys.count == total && Set(keys).count == total, "\(keys.count) requests, \(Set(keys).count) distinct")
            #expect(try await app.outboxCount("leads.notification_sent") == total)
        }
    }
}
