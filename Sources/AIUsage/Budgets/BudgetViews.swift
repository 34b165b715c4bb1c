import Foundation
import Hummingbird

struct BudgetView: Encodable, Sendable, ResponseEncodable {
    var id: UUID
    /// global, or the agent's name.
    var scope: String
    var agent: String?
    var dailyLimit: String?
    var monthlyLimit: String?
    var alertThresholdPercent: Int
    var alertEnabled: Bool
    var alertContacts: [String]
    var currency: String
    var updatedAt: Date

    enum CodingKeys: String, CodingKey {
        case id, scope, agent, dailyLimit = "daily_limit", monthlyLimit = "monthly_limit", alertThresholdPercent = "alert_threshold_percent"
        case alertEnabled = "alert_enabled", alertContacts = "alert_contacts", currency, updatedAt = "updated_at"
    }
}

/// One budget's figures for one period.
struct BudgetFigureView: Codable, Sendable {
    var budgetId: UUID
    var agent: String?
    var period: String
    var periodStart: String
    var limit: String
    var spent: String
    /// Allowed reservations not yet used or expired.
    var held: String
    var remaining: String
    var percent: String
    var thresholdReached: Bool
    var exceeded: Bool

    enum CodingKeys: String, CodingKey {
        case budgetId = "budget_id", agent, period, periodStart = "period_start", limit, spent, held, remaining, percent
        case thresholdReached = "threshold_reached", exceeded
    }

    init(_ figure: BudgetFigure) {
        budgetId = figure.budgetId
        agent = figure.agent
        period = figure.period
        periodStart = figure.periodStart
        limit = "\(figure.limit)"
        spent = "\(figure.spent)"
        held = "\(figure.held)"
        remaining = "\(max(0, figure.limit - figure.spent - figure.held))"
        percent = "\(figure.percent)"
        thresholdReached = figure.thresholdReached
        exceeded = figure.exceeded
    }
}

/// `GET /v1/budgets/status`: the seed's check_budget_limits (the global budget's figures and a
/// message) plus every budget's figures.
struct BudgetStatusView: Encodable, Sendable, ResponseEncodable {
    var limitExceeded: Bool
    var currentDaily: String?
    var currentMonthly: String?
    var dailyLimit: String?
    var monthlyLimit: String?
    var alertMessage: String?
    var currency: String
    var day: String
    var budgets: [BudgetFigureView]

    enum CodingKeys: String, CodingKey {
        case limitExceeded = "limit_exceeded", currentDaily = "current_daily", currentMonthly = "current_monthly"
        case dailyLimit = "daily_limit", monthlyLimit = "monthly_limit", alertMessage = "alert_message", currency, day, budgets
    }
}

struct ReservationView: Encodable, Sendable, ResponseEncodable {
    var requestId: String
    var allowed: Bool
    var amount: String
    var currency: String
    var expiresAt: Date
    /// True: this request_id was reserved before; this is that answer.
    var replayed: Bool
    /// The budgets that refused it, with their figures at the time.
    var deniedBy: [BudgetFigureView]

    enum CodingKeys: String, CodingKey {
        case requestId = "request_id", allowed, amount, currency, expiresAt = "expires_at", replayed, deniedBy = "denied_by"
    }
}

struct AlertView: Encodable, Sendable {
    var id: UUID
    var budgetId: UUID
    var agent: String?
    var period: String
    var periodStart: String
    var level: String
    var spend: String
    var limit: String
    var thresholdPercent: Int
    var currency: String
    var firedAt: Date
    var webhookStatus: String
    var webhookAttempts: Int
    var webhookError: String?

    enum CodingKeys: String, CodingKey {
        case id, budgetId = "budget_id", agent, period, periodStart = "period_start", level, spend, limit
        case thresholdPercent = "threshold_percent", currency, firedAt = "fired_at", webhookStatus = "webhook_status"
        case webhookAttempts = "webhook_attempts", webhookError = "webhook_error"
    }
}
