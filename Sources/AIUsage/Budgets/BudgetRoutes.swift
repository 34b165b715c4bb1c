import Foundation
import Hummingbird
import ServiceKit

/// Budgets (admin), their status (admin, or the agents' service token), pre-flight
/// reservations (the agents' service token, or an admin) and the alerts fired (admin).
struct BudgetRoutes {
    let store: BudgetStore
    let reservations: ReservationStore

    func register(on v1: RouterGroup<ServiceRequestContext>) {
        v1.get("/budgets", use: list)
        v1.get("/budgets/status", use: status)
        v1.get("/budgets/alerts", use: alerts)
        v1.post("/budgets/reserve", use: reserve)
        v1.put("/budgets/:scope", use: put)
        v1.delete("/budgets/:scope", use: delete)
    }

    @Sendable func list(_ request: Request, context: ServiceRequestContext) async throws -> ItemsView<BudgetView> {
        _ = try context.require(.admin)
        return ItemsView(items: try await store.list(logger: context.logger))
    }

    @Sendable func status(_ request: Request, context: ServiceRequestContext) async throws -> BudgetStatusView {
        _ = try context.require(.admin, .service)
        return try await store.status(logger: context.logger)
    }

    @Sendable func alerts(_ request: Request, context: ServiceRequestContext) async throws -> Page<AlertView> {
        _ = try context.require(.admin)
        let page = try PageQuery(request.uri.queryParameters)
        return try await store.alerts(after: page.after, limit: page.limit, logger: context.logger)
    }

    @Sendable func reserve(_ request: Request, context: ServiceRequestContext) async throws -> ReservationView {
        _ = try context.require(.service, .admin)
        let input = try await request.decodeJSON(as: ReserveInput.self, context: context).validated()
        do {
            return try await reservations.reserve(input, logger: context.logger)
        } catch is ReservationStore.Mismatch {
            throw Problem(status: .conflict, type: "https://lyceum.dev/problems/request-id-conflict", title: "Request id already reserved",
                          detail: "request_id \(input.requestId) was reserved with another agent or amount",
                          errors: [Problem.FieldError(field: "request_id", message: "already reserved with another agent or amount")])
        }
    }

    @Sendable func put(_ request: Request, context: ServiceRequestContext) async throws -> EditedResponse<BudgetView> {
        _ = try context.require(.admin)
        let scope = try BudgetScope(path: context.parameters.get("scope") ?? "")
        let input = try await request.decodeJSON(as: BudgetInput.self, context: context).validated()
        let (budget, created) = try await store.put(scope, input, logger: context.logger)
        return EditedResponse(status: created ? .created : .ok, response: budget)
    }

    @Sendable func delete(_ request: Request, context: ServiceRequestContext) async throws -> Response {
        _ = try context.require(.admin)
        let scope = try BudgetScope(path: context.parameters.get("scope") ?? "")
        guard try await store.delete(scope, logger: context.logger) else { throw Problem.notFound("no budget for \(scope.agent ?? "global")") }
        return Response(status: .noContent)
    }
}
