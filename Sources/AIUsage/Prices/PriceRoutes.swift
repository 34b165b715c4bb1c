import Foundation
import Hummingbird
import ServiceKit

/// The price and rate books (admins write; admins and the agents' service token read) and
/// recomputes (admin).
struct PriceRoutes {
    let store: PriceStore
    let recomputes: RecomputeStore
    /// Cleared by every change here: a new price or rate changes what a recompute would do, and
    /// an applied recompute changes the roll-ups.
    let reports: ExpiringResponseCache

    func register(on v1: RouterGroup<ServiceRequestContext>) {
        v1.get("/prices", use: prices)
        v1.post("/prices", use: addPrice)
        v1.get("/rates", use: rates)
        v1.post("/rates", use: addRate)
        v1.post("/usage/recompute", use: recompute)
    }

    /// `model` narrows to one model; `current=true` keeps only the versions in force now.
    @Sendable func prices(_ request: Request, context: ServiceRequestContext) async throws -> ItemsView<PriceView> {
        _ = try context.require(.admin, .service)
        let query = request.uri.queryParameters
        let model = query["model"].map(String.init)
        if let model, !UsageNames.isModel(model) { throw Problem.invalid("model", "must be a model name like gpt-4o") }
        let current = try query.choice("current", ["true", "false"], default: "false") == "true"
        return ItemsView(items: try await store.prices(model: model, current: current, logger: context.logger))
    }

    @Sendable func addPrice(_ request: Request, context: ServiceRequestContext) async throws -> EditedResponse<PriceView> {
        let admin = try context.require(.admin)
        let input = try await request.decodeJSON(as: PriceInput.self, context: context).validated()
        defer { reports.invalidate() }
        return EditedResponse(status: .created, response: try await store.add(input, by: admin.userID, logger: context.logger))
    }

    @Sendable func rates(_ request: Request, context: ServiceRequestContext) async throws -> ItemsView<RateView> {
        _ = try context.require(.admin, .service)
        let currency = request.uri.queryParameters["currency"].map(String.init)
        var checks = FieldChecks()
        checks.currency(currency)
        try checks.throwIfAny()
        return ItemsView(items: try await store.rates(currency: currency, logger: context.logger))
    }

    @Sendable func addRate(_ request: Request, context: ServiceRequestContext) async throws -> EditedResponse<RateView> {
        let admin = try context.require(.admin)
        let input = try await request.decodeJSON(as: RateInput.self, context: context).validated()
        defer { reports.invalidate() }
        return EditedResponse(status: .created, response: try await store.add(input, by: admin.userID, logger: context.logger))
    }

    @Sendable func recompute(_ request: Request, context: ServiceRequestContext) async throws -> RecomputeView {
        let admin = try context.require(.admin)
        let input = try await request.decodeJSON(as: RecomputeInput.self, context: context, allowEmpty: true)?.validated() ?? RecomputeInput()
        defer { reports.invalidate() }
        return try await recomputes.recompute(RecomputeStore.Scope(model: input.model, from: input.from, to: input.to), apply: input.apply ?? false,
                                              reason: input.reason ?? "", by: admin.userID, logger: context.logger)
    }
}
