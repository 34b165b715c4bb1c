import Foundation
import Hummingbird
import ServiceKit

/// Staff views of the CRM sync: the queue by state, and re-queueing one lead.
struct CRMRoutes {
    let store: CRMSyncStore

    func register(on v1: RouterGroup<ServiceRequestContext>) {
        v1.post("/leads/:lead_id/crm/sync", use: requeue)
        v1.get("/crm/sync", use: overview)
    }

    /// 202: the lead (or its merge survivor) is pushed again soon with fresh attempts.
    @Sendable func requeue(_ request: Request, context: ServiceRequestContext) async throws -> EditedResponse<CRMSyncView> {
        try context.require(.admin, .salesManager)
        let id = try context.uuidParameter("lead_id")
        guard let view = try await store.requeue(id, logger: context.logger) else { throw Problem.notFound("no lead \(id)") }
        return EditedResponse(status: .accepted, response: view)
    }

    /// Backlog counts and one page of sync states; `status` filters, `limit` and `cursor` page.
    @Sendable func overview(_ request: Request, context: ServiceRequestContext) async throws -> CRMSyncOverview {
        try context.require(.admin, .salesManager)
        let query = request.uri.queryParameters
        let page = try PageQuery(query)
        let status = query["status"].map(String.init)
        if let status, !CRMSyncStore.statuses.contains(status) {
            throw Problem.invalid("status", "must be one of \(CRMSyncStore.statuses.joined(separator: ", "))")
        }
        return try await store.overview(status: status, after: page.after, limit: page.limit, logger: context.logger)
    }
}
