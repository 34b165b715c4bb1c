import Foundation
import LyceumTestSupport
import Hummingbird
import Testing

/// The dispatcher against an SMTP sink and a fake webhook on 127.0.0.1: delivery, retries with
/// backoff, giving up, permanent refusals and a missing adapter.
@Suite struct NotificationDeliveryTests {
    @Test func anEmailIsDeliveredThroughSMTPWithItsUTF8SubjectAndBody() async throws {
        let sink = try SMTPSink()
        try await LeadsHarness.with(LeadsHarness.fastDispatch(smtp: sink)) { app in
            let lead = try await app.lead(#"{"email": "Aigerim@Example.com", "name": "Айгерим"}"#)
            let (status, created) = try await app.schedule(lead, #"{"channel": "email", "template": "welcome_ru"}"#)
            #expect(status == .created && created["status"] as? String == "pending", "\(created)")
            let id = try #require(created["id"] as? String)
            let sent = try await app.waitFor(lead, id, status: "sent")
            #expect(sent["status"] as? String == "sent" && sent["attempts"] as? Int == 1 && sent["sent_at"] != nil, "\(sent)")
            #expect((sent["provider_message_id"] as? String)?.contains("sink-1") == true)

            #expect(sink.messages.count == 1)
            let message = try #require(sink.messages.first)
            #expect(message.from == "academy@lyceum.test" && message.to == "aigerim@example.com")
            #expect(message.subject == "Добро пожаловать в Lyceum, Айгерим!", "\(message.data)")
            #expect(message.body.contains("Здравствуйте, Айгерим!"), "\(message.body)")
            #expect(message.body.contains(try #require(sent["tracked_link"] as? String)))
            #expect(message.header("Content-Type") == "text/plain; charset=UTF-8")
            #expect(message.header("X-Idempotency-Key") == sent["idempotency_key"] as? String)
            #expect(try await app.outboxCount("leads.notification_sent") == 1)
        }
    }

    @Test func persianVariablesReachTheSMSWebhookIntact() async throws {
        let webhook = try FakeWebhook()
        try await LeadsHarness.with(LeadsHarness.fastDispatch(webhook: webhook)) { app in
            let lead = try await app.lead(#"{"phone": "0912 345 6789", "phone_region": "IR", "name": "سارا"}"#)
            let (_, created) = try await app.schedule(lead, #"""
                {"channel": "sms", "template": "expresscourse_invite", "variables": {"course": "دوره هوش مصنوعی", "starts": "۱۴۰۵/۰۱/۱۵"}}
                """#)
            let id = try #require(created["id"] as? String, "\(created)")
            let sent = try await app.waitFor(lead, id, status: "sent")
            #expect(sent["provider_message_id"] as? String == "wh-1", "\(sent)")
            let request = try #require(webhook.requests.first)
            #expect(request.body["to"] == "+989123456789")
            #expect(request.body["body"]?.hasPrefix("Hello, سارا! The express course دوره هوش مصنوعی starts ۱۴۰۵/۰۱/۱۵.") == true, "\(request.body)")
            #expect(request.body["idempotency_key"] == sent["idempotency_key"] as? String)
            #expect(request.headers["idempotency-key"] == sent["idempotency_key"] as? String)
        }
    }

    @Test func transientSMTPFailuresAreRetriedWithBackoffThenDeliveredOnce() async throws {
        let sink = try SMTPSink()
        sink.failNext([451, 421])
        try await LeadsHarness.with(LeadsHarness.fastDispatch(smtp: sink)) { app in
            let lead = try await app.lead(#"{"email": "retry@example.com"}"#)
            let started = ContinuousClock.now
            let (_, created) = try await app.schedule(lead, #"{"channel": "email", "template": "welcome", "max_attempts": 5}"#)
            let id = try #require(created["id"] as? String)
            let sent = try await app.waitFor(lead, id, status: "sent")
            #expect(sent["status"] as? String == "sent" && sent["attempts"] as? Int == 3, "\(sent)")
            // Two failures wait 100 ms and then 200 ms.
            #expect(ContinuousClock.now - started >= .milliseconds(300))
            #expect(sink.attempts == 3 && sink.messages.count == 1)
            #expect(try await app.outboxCount("leads.notification_sent") == 1)
            #expect(try await app.outboxCount("leads.notification_failed") == 0)
        }
    }

    @Test func theDispatcherGivesUpAfterMaxAttemptsWithTheSameIdempotencyKey() async throws {
        let webhook = try FakeWebhook()
        webhook.alwaysAnswer(503)
        try await LeadsHarness.with(LeadsHarness.fastDispatch(webhook: webhook)) { app in
            let lead = try await app.lead(#"{"phone": "8 701 123 45 67"}"#)
            let (_, created) = try await app.schedule(lead, #"{"channel": "sms", "template": "welcome", "max_attempts": 3}"#)
            let id = try #require(created["id"] as? String)
            let failed = try await app.waitFor(lead, id, status: "failed")
            #expect(failed["status"] as? String == "failed" && failed["attempts"] as? Int == 3, "\(failed)")
            #expect((failed["last_error"] as? String)?.contains("HTTP 503") == true)
            #expect(webhook.requests.count == 3)
            #expect(Set(webhook.requests.compactMap { $0.headers["idempotency-key"] }) == [created["idempotency_key"] as? String ?? ""])
            #expect(try await app.outboxCount("leads.notification_failed") == 1)
            #expect(try await app.count("""
                SELECT count(*)::int FROM leads.outbox WHERE type = 'leads.notification_failed'
                  AND payload->>'error' LIKE '%HTTP 503%' AND (payload->>'attempts')::int = 3 AND payload->>'channel' = 'sms'
                """) == 1)
        }
    }

    @Test func aWebhook4xxFailsAtOnceWithoutRetries() async throws {
        let webhook = try FakeWebhook()
        webhook.alwaysAnswer(400)
        try await LeadsHarness.with(LeadsHarness.fastDispatch(webhook: webhook)) { app in
            let lead = try await app.lead(#"{"phone": "8 701 123 45 67"}"#)
            let (_, created) = try await app.schedule(lead, #"{"channel": "sms", "template": "welcome"}"#)
            let id = try #require(created["id"] as? String)
            let failed = try await app.waitFor(lead, id, status: "failed")
            #expect(failed["attempts"] as? Int == 1 && (failed["last_error"] as? String)?.contains("HTTP 400") == true, "\(failed)")
            try await Task.sleep(for: .milliseconds(300))
            #expect(webhook.requests.count == 1)
            #expect(try await app.outboxCount("leads.notification_failed") == 1)
        }
    }

    @Test func anSMTP5xxFailsAtOnceAndAChannelWithoutAnAdapterFailsClearly() async throws {
        let sink = try SMTPSink()
        sink.alwaysFail(550)
        try await LeadsHarness.with(LeadsHarness.fastDispatch(smtp: sink)) { app in
            let lead = try await app.lead(#"{"email": "nobody@example.com", "phone": "8 701 123 45 67"}"#)
            let email = try #require(try await app.schedule(lead, #"{"channel": "email", "template": "welcome"}"#).1["id"] as? String)
            let whatsapp = try #require(try await app.schedule(lead, #"{"channel": "whatsapp", "template": "welcome"}"#).1["id"] as? String)
            let refused = try await app.waitFor(lead, email, status: "failed")
            #expect(refused["attempts"] as? Int == 1 && (refused["last_error"] as? String)?.contains("550") == true, "\(refused)")
            let unconfigured = try await app.waitFor(lead, whatsapp, status: "failed")
            #expect((unconfigured["last_error"] as? String)?.contains("LEADS_WHATSAPP_WEBHOOK_URL") == true, "\(unconfigured)")
            #expect(sink.messages.isEmpty)
            #expect(try await app.outboxCount("leads.notification_failed") == 2)
        }
    }

    @Test func anExpiredLeaseReturnsTheNotificationToPendingAndItIsSentWithTheSameKey() async throws {
        let webhook = try FakeWebhook()
        try await LeadsHarness.with(LeadsHarness.fastDispatch(webhook: webhook)) { app in
            let lead = try await app.lead(#"{"phone": "8 701 123 45 67"}"#)
            let (_, created) = try await app.schedule(lead, #"{"channel": "sms", "template": "welcome", "scheduled_at": "\#(LeadsHarness.tomorrow)", "idempotency_key": "lease-1"}"#)
            let id = try #require(created["id"] as? String, "\(created)")
            // A dispatcher claimed it and died mid-send: sending, its lease run out.
            _ = try await app.count("""
                WITH stuck AS (UPDATE leads.scheduled_notifications SET status = 'sending', attempts = 1,
                    lease_expires_at = now() - interval '1 second', next_attempt_at = now() WHERE id = '\(id)' RETURNING 1)
                SELECT count(*)::int FROM stuck
                """)
            let sent = try await app.waitFor(lead, id, status: "sent")
            #expect(sent["status"] as? String == "sent" && sent["attempts"] as? Int == 2, "\(sent)")
            #expect(webhook.requests.map { $0.headers["idempotency-key"] } == ["lease-1"])
        }
    }

    @Test func theDispatcherCarriesOnAfterItsDatabaseSessionsAreKilled() async throws {
        let webhook = try FakeWebhook()
        try await LeadsHarness.with(LeadsHarness.fastDispatch(webhook: webhook)) { app in
            let lead = try await app.lead(#"{"phone": "8 701 123 45 67"}"#)
            let first = try #require(try await app.schedule(lead, #"{"channel": "sms", "template": "welcome"}"#).1["id"] as? String)
            #expect(try await app.waitFor(lead, first, status: "sent")["status"] as? String == "sent")
            // Every other session of this database dies, the dispatcher's and the HTTP pool's among them.
            let killed = try await app.count("""
                SELECT count(pg_terminate_backend(pid))::int FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()
                """)
            #expect(killed > 0)
            var second: String?
            let deadline = ContinuousClock.now + .seconds(90)
            while second == nil && ContinuousClock.now < deadline {
                let (status, created) = try await app.schedule(lead, #"{"channel": "sms", "template": "welcome", "idempotency_key": "after-kill"}"#)
                if status == .created || status == .ok { second = created["id"] as? String } else { try await Task.sleep(for: .milliseconds(200)) }
            }
            let id = try #require(second)
            #expect(try await app.waitFor(lead, id, status: "sent")["status"] as? String == "sent")
            #expect(webhook.requests.count == 2)
        }
    }
}
