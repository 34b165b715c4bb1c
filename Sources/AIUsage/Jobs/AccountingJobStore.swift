import Contracts
import Foundation
import Logging
import PostgresNIO
import ServiceKit

/// SQL of the accounting job: thresholds crossed that no ingest noticed, webhook deliveries
/// (claimed with a lease, SKIP LOCKED, so replicas never post one alert at once), roll-up folding
/// and old holds.
struct AccountingJobStore: Sendable {
    let database: PostgresClient
    let settings: AIUsageSettings

    /// Fires what today's and this month's spend has reached and no alert says yet (an ingest
    /// fires its own; two concurrent ones can each miss the other's share). Returns how many.
    func fireMissed(logger: Logger) async throws -> Int {
        try await database.query("""
            SELECT ai_usage.fire_budget_alerts(true, '{}', (now() AT TIME ZONE \(settings.timeZone))::date, now(), \(settings.currency),
                                               \(settings.alertWebhook != nil))
            """, logger: logger).decode(Int.self).firstElement() ?? 0
    }

    struct Due: Sendable {
        var alert: BudgetAlert
        var contacts: [String]
        var attempt: Int
    }

    /// Due webhook deliveries, leased for `lease`.
    func claim(limit: Int, lease: Duration, logger: Logger) async throws -> [Due] {
        var due: [Due] = []
        for try await row in try await database.query("""
            UPDATE ai_usage.budget_alerts a SET webhook_next_at = now() + make_interval(secs => \(lease.timeInterval)),
                                               webhook_attempts = a.webhook_attempts + 1
            FROM (SELECT id FROM ai_usage.budget_alerts WHERE webhook_status = 'pending' AND webhook_next_at <= now()
                  ORDER BY webhook_next_at LIMIT \(limit) FOR UPDATE SKIP LOCKED) d
            WHERE a.id = d.id
            RETURNING a.id, a.budget_id, a.agent, a.period, a.period_start::text, a.level, trim_scale(a.spend)::text,
                      trim_scale(a.limit_amount)::text, a.threshold_percent, a.currency, a.fired_at, a.webhook_attempts,
                      coalesce((SELECT b.alert_contacts::text FROM ai_usage.budgets b WHERE b.id = a.budget_id), '[]')
            """, logger: logger) {
            let (id, budgetId, agent, period, start, level, spend, limit, threshold, currency, firedAt, attempt, contacts)
                = try row.decode((UUID, UUID, String?, String, String, String, String, String, Int, String, Date, Int, String).self)
            due.append(Due(alert: BudgetAlert(alertId: id, budgetId: budgetId, agent: agent, period: period, periodStart: start, level: level,
                                              spend: spend, limit: limit, thresholdPercent: threshold, currency: currency, firedAt: firedAt),
                           contacts: (try? JSONDecoder().decode([String].self, from: Data(contacts.utf8))) ?? [], attempt: attempt))
        }
        return due
    }

    func markSent(_ id: UUID, logger: Logger) async throws {
        try await database.query("""
            UPDATE ai_usage.budget_alerts SET webhook_status = 'sent', webhook_next_at = NULL, webhook_error = NULL WHERE id = \(id)
            """, logger: logger)
    }

    /// Another try after `delay`, or failed for good when `final`.
    func markFailed(_ id: UUID, error: String, retryAfter delay: Duration?, logger: Logger) async throws {
        try await database.query("""
            UPDATE ai_usage.budget_alerts
            SET webhook_status = CASE WHEN \(delay == nil) THEN 'failed' ELSE 'pending' END,
                webhook_next_at = CASE WHEN \(delay == nil) THEN NULL ELSE now() + make_interval(secs => \(delay?.timeInterval ?? 0)) END,
                webhook_error = \(String(error.prefix(500)))
            WHERE id = \(id)
            """, logger: logger)
    }

    /// Folds the roll-up stripes of finished days and months into one row each (see
    /// `ai_usage.fold_rollups`); how many rows it folded away.
    func foldRollups(logger: Logger) async throws -> Int {
        try await database.query("""
            SELECT ai_usage.fold_rollups(d.day, date_trunc('month', d.day)::date)
            FROM (SELECT (now() AT TIME ZONE \(settings.timeZone))::date AS day) d
            """, logger: logger).decode(Int.self).firstElement() ?? 0
    }

    /// Holds used or expired more than a day ago: they count for nothing any more.
    func sweepHolds(logger: Logger) async throws -> Int {
        try await database.query("""
            WITH gone AS (DELETE FROM ai_usage.budget_holds WHERE expires_at < now() - interval '1 day' RETURNING 1)
            SELECT count(*)::int FROM gone
            """, logger: logger).decode(Int.self).firstElement() ?? 0
    }
}
