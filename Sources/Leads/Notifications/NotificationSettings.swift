import Configuration
import Foundation
import ServiceKit

/// Configuration of scheduled notifications: channel adapters, the dispatcher's pace and retry
/// policy, and tracked links (environment names in parentheses).
public struct NotificationSettings: Sendable, Equatable {
    public struct SMTP: Sendable, Equatable {
        /// `LEADS_SMTP_HOST`; no host, no email adapter.
        public var host: String
        /// `LEADS_SMTP_PORT`, default 25.
        public var port: Int
        /// The envelope and header sender (`LEADS_SMTP_FROM`, default `noreply@lyceum.local`).
        public var from: String
        /// The name sent with EHLO (`LEADS_SMTP_HELO`, default `lyceum.local`).
        public var helo: String

        public init(host: String, port: Int = 25, from: String = "noreply@lyceum.local", helo: String = "lyceum.local") {
            self.host = host
            self.port = port
            self.from = from
            self.helo = helo
        }
    }

    public var smtp: SMTP?
    /// `LEADS_SMS_WEBHOOK_URL`: the SMS provider's endpoint; none, no SMS adapter.
    public var smsWebhook: URL?
    /// `LEADS_WHATSAPP_WEBHOOK_URL`: the WhatsApp provider's endpoint; none, no WhatsApp adapter.
    public var whatsappWebhook: URL?
    /// Whether this process runs a dispatcher (`LEADS_NOTIFICATIONS_DISPATCH`, default true).
    public var dispatch: Bool
    /// How often an idle dispatcher looks for due notifications (`LEADS_NOTIFICATIONS_POLL`, default 1s).
    public var pollInterval: Duration
    /// Notifications claimed at once (`LEADS_NOTIFICATIONS_BATCH`, default 20).
    public var batchSize: Int
    /// How long a claimed notification stays `sending` before another dispatcher may take it back
    /// (`LEADS_NOTIFICATIONS_LEASE`, default 2m; longer than a send's timeout).
    public var lease: Duration
    /// A send's connect/read timeout (`LEADS_NOTIFICATIONS_SEND_TIMEOUT`, default 15s).
    public var sendTimeout: Duration
    /// The delay after the first failed attempt, doubled after each further one
    /// (`LEADS_NOTIFICATIONS_RETRY_BASE`, default 30s) up to `retryCap` (`LEADS_NOTIFICATIONS_RETRY_CAP`, default 1h).
    public var retryBase: Duration
    public var retryCap: Duration
    /// Attempts of a notification whose create did not say (`LEADS_NOTIFICATIONS_MAX_ATTEMPTS`, default 5; 1–20).
    public var maxAttempts: Int
    /// The service's public address, the base of tracked links (`LEADS_PUBLIC_URL`, default `http://127.0.0.1:8083`).
    public var publicURL: String
    /// Where each template's tracked link leads (`LEADS_TEMPLATE_LINKS`, `template=url,…`;
    /// overrides the built-in targets).
    public var templateLinks: [String: String]

    public init(smtp: SMTP? = nil, smsWebhook: URL? = nil, whatsappWebhook: URL? = nil, dispatch: Bool = true,
                pollInterval: Duration = .seconds(1), batchSize: Int = 20, lease: Duration = .seconds(120),
                sendTimeout: Duration = .seconds(15), retryBase: Duration = .seconds(30), retryCap: Duration = .seconds(3600),
                maxAttempts: Int = 5, publicURL: String = "http://127.0.0.1:8083", templateLinks: [String: String] = [:]) {
        self.smtp = smtp
        self.smsWebhook = smsWebhook
        self.whatsappWebhook = whatsappWebhook
        self.dispatch = dispatch
        self.pollInterval = pollInterval
        self.batchSize = min(max(1, batchSize), 500)
        self.lease = lease
        self.sendTimeout = sendTimeout
        self.retryBase = retryBase
        self.retryCap = max(retryCap, retryBase)
        self.maxAttempts = min(max(1, maxAttempts), 20)
        self.publicURL = publicURL.hasSuffix("/") ? String(publicURL.dropLast()) : publicURL
        self.templateLinks = templateLinks
    }

    init(reader: ConfigReader) throws {
        let defaults = NotificationSettings()
        let links = try reader.pairs("leads.template.links", expected: "template=https://… for a known template") { template, url in
            NotificationTemplates.builtIn[template] != nil && URL(string: url)?.scheme?.hasPrefix("http") == true ? url : nil
        }
        let smtp = reader.string(forKey: "leads.smtp.host").flatMap { $0.isEmpty ? nil : $0 }.map { host in
            SMTP(host: host, port: reader.int(forKey: "leads.smtp.port", default: 25),
                 from: reader.string(forKey: "leads.smtp.from", default: "noreply@lyceum.local"),
                 helo: reader.string(forKey: "leads.smtp.helo", default: "lyceum.local"))
        }
        self.init(smtp: smtp, smsWebhook: try reader.httpURL("leads.sms.webhook.url"), whatsappWebhook: try reader.httpURL("leads.whatsapp.webhook.url"),
                  dispatch: reader.bool(forKey: "leads.notifications.dispatch", default: true),
                  pollInterval: try reader.positiveDuration("leads.notifications.poll", defaults.pollInterval),
                  batchSize: reader.int(forKey: "leads.notifications.batch", default: defaults.batchSize),
                  lease: try reader.positiveDuration("leads.notifications.lease", defaults.lease),
                  sendTimeout: try reader.positiveDuration("leads.notifications.send.timeout", defaults.sendTimeout),
                  retryBase: try reader.positiveDuration("leads.notifications.retry.base", defaults.retryBase),
                  retryCap: try reader.positiveDuration("leads.notifications.retry.cap", defaults.retryCap),
                  maxAttempts: reader.int(forKey: "leads.notifications.max.attempts", default: defaults.maxAttempts),
                  publicURL: reader.string(forKey: "leads.public.url", default: defaults.publicURL),
                  templateLinks: links)
        // An SMTP session is up to about seven timed steps; a lease shorter than that could run
        // out during a slow but live send, and another dispatcher would send it again.
        guard lease >= sendTimeout * 8 else {
            throw LeadsConfigurationError("LEADS_NOTIFICATIONS_LEASE (\(DurationText.format(lease))) must be at least 8 × LEADS_NOTIFICATIONS_SEND_TIMEOUT (\(DurationText.format(sendTimeout)))")
        }
    }

    /// The delay before attempt `attempts + 1` after `attempts` failed ones: base·2^(attempts−1), capped.
    func backoff(afterAttempts attempts: Int) -> Duration {
        Backoff.delay(afterAttempts: attempts, base: retryBase, cap: retryCap)
    }
}
