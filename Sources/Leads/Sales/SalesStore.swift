import Contracts
import Foundation
import Logging
import PostgresNIO
import ServiceKit

/// SQL of the sales figures, read from tripwire students and the activity log. Months and days
/// are the platform's (`LYCEUM_TIMEZONE`). Revenue sums every granted student's price (a grant is
/// a sale; deactivating a student does not refund it).
struct SalesStore: Sendable {
    let database: PostgresClient
    let timeZone: String

    init(environment: ServiceEnvironment) {
        database = environment.database
        timeZone = environment.settings.platformTimeZone
    }

    /// total, active, completed, revenue, completion rate (per 100 students), this month's students and revenue.
    private static let figureColumns = """
        count(*)::int, count(*) FILTER (WHERE status = 'active')::int, count(*) FILTER (WHERE status = 'completed')::int,
        coalesce(sum(price), 0)::numeric(16, 2)::text,
        coalesce(round(100.0 * count(*) FILTER (WHERE status = 'completed') / nullif(count(*), 0), 2), 0)::float8
        """

    private static func figures(_ row: (Int, Int, Int, String, Double)) -> SalesFigures {
        SalesFigures(totalStudents: row.0, activeStudents: row.1, completedStudents: row.2, totalRevenue: row.3, avgCompletionRate: row.4)
    }

    func stats(manager: UUID, logger: Logger) async throws -> ManagerStatsView {
        let row = try await database.query("""
            SELECT \(unescaped: Self.figureColumns),
                   count(*) FILTER (WHERE created_at >= month_start)::int,
                   coalesce(sum(price) FILTER (WHERE created_at >= month_start), 0)::numeric(16, 2)::text
            FROM leads.tripwire_users,
                 LATERAL (SELECT date_trunc('month', now() AT TIME ZONE \(timeZone)) AT TIME ZONE \(timeZone) AS month_start) m
            WHERE granted_by = \(manager)
            """, logger: logger).decode((Int, Int, Int, String, Double, Int, String).self).firstElement()
        let figures = row ?? (0, 0, 0, "0.00", 0, 0, "0.00")
        return ManagerStatsView(managerId: manager, figures: Self.figures((figures.0, figures.1, figures.2, figures.3, figures.4)),
                                studentsThisMonth: figures.5, revenueThisMonth: figures.6)
    }

    /// Managers by students granted, then revenue (ties by id), best first.
    func leaderboard(limit: Int, logger: Logger) async throws -> [LeaderboardRowView] {
        let rows = try await database.query("""
            SELECT granted_by, \(unescaped: Self.figureColumns)
            FROM leads.tripwire_users GROUP BY granted_by
            ORDER BY count(*) DESC, sum(price) DESC, granted_by LIMIT \(limit)
            """, logger: logger).decode((UUID, Int, Int, Int, String, Double).self).all()
        return rows.enumerated().map { index, row in
            LeaderboardRowView(rank: index + 1, managerId: row.0, figures: Self.figures((row.1, row.2, row.3, row.4, row.5)))
        }
    }

    /// Students granted and revenue per day over the last `days` days (today the last), days
    /// without sales included; `manager` nil: the whole team.
    func chart(days: Int, manager: UUID?, logger: Logger) async throws -> [ChartDayView] {
        try await database.query("""
            WITH bounds AS (SELECT (now() AT TIME ZONE \(timeZone))::date AS today),
            sales AS (
                SELECT (created_at AT TIME ZONE \(timeZone))::date AS day, count(*) AS students, sum(price) AS revenue
                FROM leads.tripwire_users, bounds
                WHERE created_at >= (today - (\(days)::int - 1))::timestamp AT TIME ZONE \(timeZone)
                  AND (\(manager)::uuid IS NULL OR granted_by = \(manager))
                GROUP BY 1)
            SELECT to_char(today - back, 'YYYY-MM-DD'), coalesce(s.students, 0)::int, coalesce(s.revenue, 0)::numeric(16, 2)::text
            FROM bounds CROSS JOIN generate_series(\(days)::int - 1, 0, -1) back
            LEFT JOIN sales s ON s.day = today - back
            ORDER BY back DESC
            """, logger: logger).decode((String, Int, String).self).all().map { ChartDayView(date: $0.0, studentsCreated: $0.1, revenue: $0.2) }
    }

    /// A manager's actions newest first, with the student each concerned.
    func activity(manager: UUID, after: PageCursor?, limit: Int, logger: Logger) async throws -> Page<ActivityView> {
        let rows = try await database.query("""
            SELECT a.id, a.action_type, a.target_user_id, t.email, t.full_name, a.details::text, a.created_at
            FROM leads.sales_activity_log a LEFT JOIN leads.tripwire_users t ON t.id = a.student_id
            WHERE a.manager_id = \(manager)
              AND (\(after?.micros)::bigint IS NULL
                   OR (a.created_at, a.id) < (\(instant: after?.micros), \(after?.id)))
            ORDER BY a.created_at DESC, a.id DESC LIMIT \(limit + 1)
            """, logger: logger).decode((UUID, String, UUID?, String?, String?, String, Date).self).all().map { row in
            ActivityView(id: row.0, actionType: row.1, targetUserId: row.2, targetUserEmail: row.3, targetUserName: row.4,
                         details: (try? LyceumJSON.decoder().decode([String: JSONValue].self, from: Data(row.5.utf8))) ?? [:],
                         createdAt: row.6)
        }
        return Page(rows: rows, limit: limit) { PageCursor(at: $0.createdAt, id: $0.id) }
    }
}
