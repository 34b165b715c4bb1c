import Hummingbird
import ServiceKit

/// Funnel analytics for staff.
struct FunnelRoutes {
    let store: FunnelStore
    let stages: JourneyStages

    func register(on v1: RouterGroup<ServiceRequestContext>) {
        v1.get("/funnel", use: funnel)
    }

    @Sendable func funnel(_ request: Request, context: ServiceRequestContext) async throws -> FunnelView {
        try context.require(.admin, .salesManager)
        let query = try FunnelQuery(request.uri.queryParameters, known: stages)
        return try await store.funnel(query, logger: context.logger)
    }
}
