import Foundation
import Hummingbird
import ServiceKit

/// Roll-up reports (admin only: cost data).
struct ReportRoutes {
    let store: ReportStore

    func register(on v1: RouterGroup<ServiceRequestContext>) {
        v1.get("/usage/report", use: report)
    }

    @Sendable func report(_ request: Request, context: ServiceRequestContext) async throws -> ReportView {
        _ = try context.require(.admin)
        let query = try ReportQuery(request.uri.queryParameters, today: ReportQuery.today(in: store.settings.timeZone))
        return try await store.report(query, logger: context.logger)
    }
}
