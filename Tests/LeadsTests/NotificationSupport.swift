import Foundation
import LyceumTestSupport
import Hummingbird
import Testing

/// Helpers of the notification tests: a lead to write to, a create, and polling a notification.
extension LeadsHarness {
    /// Settings that make the dispatcher quick: it looks every 50 ms and retries after 100, 200, 400 ms.
    static func fastDispatch(smtp: SMTPSink? = nil, webhook: FakeWebhook? = nil) -> [String: String] {
        var settings = ["LEADS_NOTIFICATIONS_POLL": "50ms", "LEADS_NOTIFICATIONS_RETRY_BASE": "100ms",
                        "LEADS_NOTIFICATIONS_RETRY_CAP": "400ms", "LEADS_NOTIFICATIONS_SEND_TIMEOUT": "5s"]
        if let smtp {
            settings["LEADS_SMTP_HOST"] = "127.0.0.1"
            settings["LEADS_SMTP_PORT"] = String(smtp.port)
            settings["LEADS_SMTP_FROM"] = "academy@lyceum.test"
        }
        if let webhook { settings["LEADS_SMS_WEBHOOK_URL"] = webhook.url }
        return settings
    }

    /// An RFC 3339 time a day from now: a notification the dispatcher leaves alone.
    static var tomorrow: String { ISO8601DateFormatter().string(from: Date().addingTimeInterval(86_400)) }

    func lead(_ body: String) async throws -> String {
        let (_, answer) = try await call(.post, "/v1/leads", json: body)
        return try #require((answer["lead"] as? [String: Any])?["id"] as? String, "\(answer)")
    }

    /// Schedules a notification (as an admin) and returns its status and body.
    @discardableResult
    func schedule(_ lead: String, _ body: String) async throws -> (HTTPResponse.Status, [String: Any]) {
        try await call(.post, "/v1/leads/\(lead)/notifications", try await headers(.admin), json: body)
    }

    /// The lead's notification `id` as the API shows it.
    func notification(_ lead: String, _ id: String) async throws -> [String: Any] {
        let (_, list) = try await call(.get, "/v1/leads/\(lead)/notifications", try await headers(.admin))
        return (list["items"] as? [[String: Any]] ?? []).first { $0["id"] as? String == id } ?? [:]
    }

    /// Polls until the notification reaches `status` (10 s at most); returns it.
    func waitFor(_ lead: String, _ id: String, status: String) async throws -> [String: Any] {
        let deadline = ContinuousClock.now + .seconds(90)
        while true {
            let notification = try await notification(lead, id)
            if notification["status"] as? String == status || ContinuousClock.now > deadline { return notification }
            try await Task.sleep(for: .milliseconds(50))
        }
    }
}
