import Foundation
import Hummingbird
import ServiceKit

/// Roll-up reports (admin only: cost data).
struct ReportRoutes {
    let store: ReportStore
    let cache: ExpiringResponseCache

    func register(on v1: RouterGroup<ServiceRequestContext>) {
        v1.get("/usage/report", use: report)
    }

    @Sendable func report(_ request: Request, context: ServiceRequestContext) async throws -> Response {
        _ = try context.require(.admin)
        let today = ReportQuery.today(in: store.settings.timeZone)
        // Today is part of the key: a default window moves at midnight.
        let key = today + " " + (request.uri.query ?? "")
        if let cached = cache.response(for: key) { return cached }
        let query = try ReportQuery(request.uri.queryParameters, today: today)
        return try cache.respond(try await store.report(query, logger: context.logger), key: key)
    }
}
