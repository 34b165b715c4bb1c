import Configuration
import Foundation

/// The ai-usage service's own configuration (environment names in parentheses).
public struct AIUsageSettings: Sendable, Equatable {
    /// The zone whose calendar days and months the roll-ups and budgets use
    /// (`AI_USAGE_TIMEZONE`, default Asia/Almaty).
    public var timeZone: String
    /// The local currency of costs and budgets (`AI_USAGE_CURRENCY`, default KZT; its rate to the
    /// dollar comes from the rate book, seeded with the seed's 450).
    public var currency: String
    /// How long a reservation holds its amount when the request names no `hold_seconds`
    /// (`AI_USAGE_HOLD_SECONDS`, default 300).
    public var holdSeconds: Int
    /// Where budget alerts are also POSTed as JSON (`AI_USAGE_ALERT_WEBHOOK`, none by default).
    public var alertWebhook: URL?
    /// Attempts per alert webhook before it is marked failed (`AI_USAGE_ALERT_WEBHOOK_ATTEMPTS`, default 8).
    public var alertWebhookAttempts: Int
    /// How often the alert job looks for due webhooks and thresholds crossed without an ingest
    /// noticing (`AI_USAGE_ALERT_INTERVAL_MS`, default 2000).
    public var alertIntervalMilliseconds: Int
    /// How long an encoded report is served again (`AI_USAGE_REPORT_CACHE_MS`, default 1000; 0:
    /// never): reports may be this far behind the ingest.
    public var reportCacheMilliseconds: Int

    public init(timeZone: String = "Asia/Almaty", currency: String = "KZT", holdSeconds: Int = 300, alertWebhook: URL? = nil,
                alertWebhookAttempts: Int = 8, alertIntervalMilliseconds: Int = 2000, reportCacheMilliseconds: Int = 1000) {
        self.timeZone = timeZone
        self.currency = currency
        self.holdSeconds = holdSeconds
        self.alertWebhook = alertWebhook
        self.alertWebhookAttempts = alertWebhookAttempts
        self.alertIntervalMilliseconds = alertIntervalMilliseconds
        self.reportCacheMilliseconds = reportCacheMilliseconds
    }

    public init(reader: ConfigReader) throws {
        let webhook = reader.string(forKey: "ai.usage.alert.webhook") ?? ""
        self.init(timeZone: reader.string(forKey: "ai.usage.timezone", default: "Asia/Almaty"),
                  currency: reader.string(forKey: "ai.usage.currency", default: "KZT"),
                  holdSeconds: reader.int(forKey: "ai.usage.hold.seconds", default: 300),
                  alertWebhook: webhook.isEmpty ? nil : URL(string: webhook),
                  alertWebhookAttempts: reader.int(forKey: "ai.usage.alert.webhook.attempts", default: 8),
                  alertIntervalMilliseconds: reader.int(forKey: "ai.usage.alert.interval.ms", default: 2000),
                  reportCacheMilliseconds: reader.int(forKey: "ai.usage.report.cache.ms", default: 1000))
        guard TimeZone(identifier: timeZone) != nil else {
            throw AIUsageConfigurationError("AI_USAGE_TIMEZONE \"\(timeZone)\" is not an IANA time zone")
        }
        guard currency.range(of: "^[A-Z]{3}$", options: .regularExpression) != nil else {
            throw AIUsageConfigurationError("AI_USAGE_CURRENCY \"\(currency)\" is not an ISO 4217 code such as KZT")
        }
        guard (1...86_400).contains(holdSeconds) else {
            throw AIUsageConfigurationError("AI_USAGE_HOLD_SECONDS must be between 1 and 86400")
        }
        if !webhook.isEmpty, alertWebhook == nil || !["http", "https"].contains(alertWebhook?.scheme ?? "") || alertWebhook?.host == nil {
            throw AIUsageConfigurationError("AI_USAGE_ALERT_WEBHOOK \"\(webhook)\" must be an http:// or https:// URL")
        }
        guard alertWebhookAttempts >= 1, alertIntervalMilliseconds >= 10 else {
            throw AIUsageConfigurationError("AI_USAGE_ALERT_WEBHOOK_ATTEMPTS must be at least 1 and AI_USAGE_ALERT_INTERVAL_MS at least 10")
        }
        guard (0...600_000).contains(reportCacheMilliseconds) else {
            throw AIUsageConfigurationError("AI_USAGE_REPORT_CACHE_MS must be between 0 and 600000")
        }
    }
}

public struct AIUsageConfigurationError: Error, CustomStringConvertible {
    public let description: String
    init(_ description: String) { self.description = description }
}
