import Foundation
import Hummingbird
import ServiceKit

/// Sales figures: a manager's stats and activity (their own; admins anyone's), the team's
/// leaderboard (admins and sales managers) and the chart of sales per day.
struct SalesRoutes {
    let store: SalesStore

    func register(on v1: RouterGroup<ServiceRequestContext>) {
        v1.get("/sales/managers/:manager_id/stats", use: stats)
        v1.get("/sales/managers/:manager_id/activity", use: activity)
        v1.get("/sales/leaderboard", use: leaderboard)
        v1.get("/sales/chart", use: chart)
    }

    @Sendable func stats(_ request: Request, context: ServiceRequestContext) async throws -> ManagerStatsView {
        let manager = try SalesScope(context).manager(in: context)
        return try await store.stats(manager: manager, logger: context.logger)
    }

    /// Newest first; `cursor`, `limit` (1–100, default 50 as the seed's).
    @Sendable func activity(_ request: Request, context: ServiceRequestContext) async throws -> Page<ActivityView> {
        let manager = try SalesScope(context).manager(in: context)
        let query = request.uri.queryParameters
        var page = try PageQuery(query)
        if query["limit"] == nil { page.limit = 50 }
        return try await store.activity(manager: manager, after: page.after, limit: page.limit, logger: context.logger)
    }

    /// `limit` 1–100 (default 10).
    @Sendable func leaderboard(_ request: Request, context: ServiceRequestContext) async throws -> ItemsView<LeaderboardRowView> {
        _ = try SalesScope(context)
        let limit = try request.uri.queryParameters.integer("limit", default: 10, 1...100)
        return ItemsView(items: try await store.leaderboard(limit: limit, logger: context.logger))
    }

    /// `days` 1–366 (default 30); `manager_id` (admins: anyone or, absent, the team; a manager: themselves).
    @Sendable func chart(_ request: Request, context: ServiceRequestContext) async throws -> ItemsView<ChartDayView> {
        let scope = try SalesScope(context)
        let query = request.uri.queryParameters
        let days = try query.integer("days", default: 30, 1...366)
        let manager = try scope.managerFilter(query)
        return ItemsView(items: try await store.chart(days: days, manager: manager, logger: context.logger))
    }
}
