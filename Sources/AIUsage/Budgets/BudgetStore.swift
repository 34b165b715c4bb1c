import Foundation
import Logging
import PostgresNIO
import ServiceKit

/// SQL of budgets: the limits, their figures now (`ai_usage.budget_periods`, migration 0004)
/// and the alerts fired.
struct BudgetStore: Sendable {
    let database: PostgresClient
    let settings: AIUsageSettings

    private static let budgetColumns = """
        id, agent, trim_scale(daily_limit)::text, trim_scale(monthly_limit)::text, alert_threshold_percent, alert_enabled,
        alert_contacts::text, updated_at
        """

    func list(logger: Logger) async throws -> [BudgetView] {
        try await decodeBudgets(database.query("""
            SELECT \(unescaped: Self.budgetColumns) FROM ai_usage.budgets ORDER BY agent NULLS FIRST
            """, logger: logger))
    }

    /// Creates or changes the budget of `scope`; `created` says which.
    func put(_ scope: BudgetScope, _ input: BudgetInput, logger: Logger) async throws -> (budget: BudgetView, created: Bool) {
        let contacts = try input.alertContacts.map { String(decoding: try JSONEncoder().encode($0), as: UTF8.self) }
        let setDaily = input.dailyLimit != nil, setMonthly = input.monthlyLimit != nil
        let daily = input.dailyLimit ?? nil, monthly = input.monthlyLimit ?? nil
        let rows = try await database.query("""
            INSERT INTO ai_usage.budgets AS b (agent, daily_limit, monthly_limit, alert_threshold_percent, alert_enabled, alert_contacts)
            VALUES (\(scope.agent), \(daily), \(monthly), coalesce(\(input.alertThresholdPercent), 80), coalesce(\(input.alertEnabled), true),
                    coalesce(\(contacts)::jsonb, '[]'))
            ON CONFLICT (agent) DO UPDATE SET
                daily_limit = CASE WHEN \(setDaily) THEN excluded.daily_limit ELSE b.daily_limit END,
                monthly_limit = CASE WHEN \(setMonthly) THEN excluded.monthly_limit ELSE b.monthly_limit END,
                alert_threshold_percent = coalesce(\(input.alertThresholdPercent), b.alert_threshold_percent),
                alert_enabled = coalesce(\(input.alertEnabled), b.alert_enabled),
                alert_contacts = coalesce(\(contacts)::jsonb, b.alert_contacts),
                updated_at = now()
            RETURNING \(unescaped: Self.budgetColumns), xmax = 0
            """, logger: logger)
        var result: (BudgetView, Bool)?
        for try await row in rows {
            let created = try row.makeRandomAccess()[8].decode(Bool.self)
            result = (try budget(row), created)
        }
        guard let result else { throw Problem.internalError }
        return result
    }

    func delete(_ scope: BudgetScope, logger: Logger) async throws -> Bool {
        try await database.query("""
            DELETE FROM ai_usage.budgets WHERE agent IS NOT DISTINCT FROM \(scope.agent) RETURNING 1
            """, logger: logger).decode(Int.self).firstElement() != nil
    }

    private func decodeBudgets(_ rows: PostgresRowSequence) async throws -> [BudgetView] {
        var budgets: [BudgetView] = []
        for try await row in rows { budgets.append(try budget(row)) }
        return budgets
    }

    private func budget(_ row: PostgresRow) throws -> BudgetView {
        let (id, agent, daily, monthly, threshold, enabled, contacts, updated)
            = try row.decode((UUID, String?, String?, String?, Int, Bool, String, Date).self)
        return BudgetView(id: id, scope: agent ?? "global", agent: agent, dailyLimit: daily, monthlyLimit: monthly, alertThresholdPercent: threshold,
                          alertEnabled: enabled, alertContacts: (try? JSONDecoder().decode([String].self, from: Data(contacts.utf8))) ?? [],
                          currency: settings.currency, updatedAt: updated)
    }

    /// Every budget's figures for today and this month (platform time zone), or only those that
    /// apply to `agent` (the global one and the agent's).
    static func figures(agent: String?, settings: AIUsageSettings, on connection: PostgresConnection, logger: Logger) async throws -> [BudgetFigure] {
        var figures: [BudgetFigure] = []
        for try await (id, budgetAgent, period, start, limit, threshold, enabled, spent, held) in try await connection.query("""
            SELECT budget_id, agent, period, period_start::text, limit_amount::text, threshold_percent, alert_enabled, spent::text, held::text
            FROM ai_usage.budget_periods(\(agent == nil), ARRAY[\(agent ?? "")]::text[], (now() AT TIME ZONE \(settings.timeZone))::date, now())
            ORDER BY agent NULLS FIRST, period
            """, logger: logger).decode((UUID, String?, String, String, String, Int, Bool, String, String).self) {
            figures.append(BudgetFigure(budgetId: id, agent: budgetAgent, period: period, periodStart: start, limit: DecimalText.parse(limit),
                                        thresholdPercent: threshold, alertEnabled: enabled, spent: DecimalText.parse(spent),
                                        held: DecimalText.parse(held)))
        }
        return figures
    }

    func status(logger: Logger) async throws -> BudgetStatusView {
        let figures = try await database.withConnection { try await Self.figures(agent: nil, settings: settings, on: $0, logger: logger) }
        let global = { (period: String) in figures.first { $0.agent == nil && $0.period == period } }
        return BudgetStatusView(limitExceeded: figures.contains(where: \.exceeded), currentDaily: global("day").map { "\($0.spent)" },
                                currentMonthly: global("month").map { "\($0.spent)" }, dailyLimit: global("day").map { "\($0.limit)" },
                                monthlyLimit: global("month").map { "\($0.limit)" },
                                alertMessage: BudgetMessage.alert(figures, currency: settings.currency), currency: settings.currency,
                                day: ReportQuery.today(in: settings.timeZone), budgets: figures.map(BudgetFigureView.init))
    }

    func alerts(after: PageCursor?, limit: Int, logger: Logger) async throws -> Page<AlertView> {
        var rows: [AlertView] = []
        for try await row in try await database.query("""
            SELECT id, budget_id, agent, period, period_start::text, level, trim_scale(spend)::text, trim_scale(limit_amount)::text,
                   threshold_percent, currency, fired_at, webhook_status, webhook_attempts, webhook_error
            FROM ai_usage.budget_alerts
            WHERE \(after?.micros)::bigint IS NULL
               OR (fired_at, id) < (\(instant: after?.micros), \(after?.id))
            ORDER BY fired_at DESC, id DESC LIMIT \(limit + 1)
            """, logger: logger) {
            let (id, budgetId, agent, period, start, level, spend, limitAmount, threshold, currency, firedAt, status, attempts, error)
                = try row.decode((UUID, UUID, String?, String, String, String, String, String, Int, String, Date, String, Int, String?).self)
            rows.append(AlertView(id: id, budgetId: budgetId, agent: agent, period: period, periodStart: start, level: level, spend: spend,
                                  limit: limitAmount, thresholdPercent: threshold, currency: currency, firedAt: firedAt, webhookStatus: status,
                                  webhookAttempts: attempts, webhookError: error))
        }
        return Page(rows: rows, limit: limit) { PageCursor(at: $0.firedAt, id: $0.id) }
    }
}
