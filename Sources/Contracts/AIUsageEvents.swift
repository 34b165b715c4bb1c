import Foundation

// Events of the ai-usage service. Money travels as decimal strings (exact).

/// One ingest call recorded new usage (records already recorded are not repeated).
public struct UsageRecorded: EventPayload {
    public static let eventType = "ai_usage.usage_recorded"
    public static let eventVersion = 1

    public struct Record: Codable, Sendable, Equatable {
        public var recordId: UUID
        public var requestId: String
        public var agent: String
        public var model: String
        public var userId: UUID?
        /// Null when unpriced (no price for the model when it happened), never "0".
        public var costUsd: String?
        public var costLocal: String?
        public var occurredAt: Date

        enum CodingKeys: String, CodingKey {
            case recordId = "record_id", requestId = "request_id", agent, model, userId = "user_id", costUsd = "cost_usd"
            case costLocal = "cost_local", occurredAt = "occurred_at"
        }
    }

    public var count: Int
    /// The local currency of `cost_local`, e.g. KZT.
    public var currency: String
    public var costUsd: String
    public var costLocal: String
    public var promptTokens: Int
    public var completionTokens: Int
    public var records: [Record]
    public var recordedAt: Date

    enum CodingKeys: String, CodingKey {
        case count, currency, costUsd = "cost_usd", costLocal = "cost_local", promptTokens = "prompt_tokens"
        case completionTokens = "completion_tokens", records, recordedAt = "recorded_at"
    }
}

/// What the two budget alerts carry.
public struct BudgetAlert: Codable, Sendable, Equatable {
    public var alertId: UUID
    public var budgetId: UUID
    /// Nil: the global budget (every agent together).
    public var agent: String?
    /// day or month.
    public var period: String
    /// The day, or the month's first day (yyyy-MM-dd, platform time zone).
    public var periodStart: String
    /// threshold or exceeded.
    public var level: String
    public var spend: String
    public var limit: String
    public var thresholdPercent: Int
    public var currency: String
    public var firedAt: Date

    public init(alertId: UUID, budgetId: UUID, agent: String?, period: String, periodStart: String, level: String, spend: String, limit: String,
                thresholdPercent: Int, currency: String, firedAt: Date) {
        self.alertId = alertId
        self.budgetId = budgetId
        self.agent = agent
        self.period = period
        self.periodStart = periodStart
        self.level = level
        self.spend = spend
        self.limit = limit
        self.thresholdPercent = thresholdPercent
        self.currency = currency
        self.firedAt = firedAt
    }

    enum CodingKeys: String, CodingKey {
        case alertId = "alert_id", budgetId = "budget_id", agent, period, periodStart = "period_start", level, spend, limit
        case thresholdPercent = "threshold_percent", currency, firedAt = "fired_at"
    }
}

/// A budget's spend reached its alert threshold (e.g. 80%) in a day or month: once per period.
public struct BudgetThresholdReached: EventPayload {
    public static let eventType = "ai_usage.budget_threshold_reached"
    public static let eventVersion = 1
    public var alert: BudgetAlert

    public init(alert: BudgetAlert) { self.alert = alert }

    public init(from decoder: any Decoder) throws { alert = try BudgetAlert(from: decoder) }
    public func encode(to encoder: any Encoder) throws { try alert.encode(to: encoder) }
}

/// A budget's spend reached its limit in a day or month: once per period.
public struct BudgetExceeded: EventPayload {
    public static let eventType = "ai_usage.budget_exceeded"
    public static let eventVersion = 1
    public var alert: BudgetAlert

    public init(alert: BudgetAlert) { self.alert = alert }

    public init(from decoder: any Decoder) throws { alert = try BudgetAlert(from: decoder) }
    public func encode(to encoder: any Encoder) throws { try alert.encode(to: encoder) }
}

/// Usage arrived for a model the price book has no price for: once per model and day.
public struct UnpricedUsageSeen: EventPayload {
    public static let eventType = "ai_usage.unpriced_usage_seen"
    public static let eventVersion = 1

    public var model: String
    public var day: String
    /// The unpriced records of the call that saw the model first that day.
    public var requestIds: [String]
    public var seenAt: Date

    enum CodingKeys: String, CodingKey {
        case model, day, requestIds = "request_ids", seenAt = "seen_at"
    }
}
