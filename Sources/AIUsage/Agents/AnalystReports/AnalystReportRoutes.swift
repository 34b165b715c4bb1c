import Foundation
import Hummingbird
import ServiceKit

/// The AI analyst's reports: written by the agents (`service`), curators and admins, and read
/// only by them; learners never see them.
struct AnalystReportRoutes {
    let store: AnalystReportStore

    func register(on v1: RouterGroup<ServiceRequestContext>) {
        v1.post("/analyst/reports", use: create)
        v1.get("/analyst/reports", use: list)
        v1.get("/analyst/reports/:report_id", use: show)
    }

    @Sendable func create(_ request: Request, context: ServiceRequestContext) async throws -> EditedResponse<AnalystReportView> {
        _ = try AgentScope(context, AgentScope.writers)
        let report = try await request.decodeJSON(as: AnalystReportInput.self, context: context).validated()
        return EditedResponse(status: .created, response: try await store.create(report, logger: context.logger))
    }

    /// Newest first; `report_type`, `target_student_id`, `cursor`, `limit`.
    @Sendable func list(_ request: Request, context: ServiceRequestContext) async throws -> Page<AnalystReportView> {
        _ = try AgentScope(context, AgentScope.writers)
        let query = request.uri.queryParameters
        let type = try query.choice("report_type", AnalystReportInput.reportTypes)
        let target = try query.uuid("target_student_id")
        let page = try PageQuery(query)
        return try await store.list(type: type, target: target, after: page.after, limit: page.limit, logger: context.logger)
    }

    @Sendable func show(_ request: Request, context: ServiceRequestContext) async throws -> AnalystReportView {
        _ = try AgentScope(context, AgentScope.writers)
        let id = try context.uuidParameter("report_id")
        guard let report = try await store.report(id, logger: context.logger) else { throw Problem.notFound("no analyst report \(id)") }
        return report
    }
}
