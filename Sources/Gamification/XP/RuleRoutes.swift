import Hummingbird
import ServiceKit

/// `/v1/rules`: what each learning event earns (public to read; admins change and recompute).
struct RuleRoutes {
    let store: RuleStore

    func register(on v1: RouterGroup<ServiceRequestContext>) {
        v1.get("/rules", use: list)
        v1.put("/rules/:event_type", use: set)
        v1.post("/rules/recompute", use: recompute)
    }

    struct Rules: ResponseEncodable, Sendable {
        var items: [XPRule]
    }

    @Sendable func list(_ request: Request, context: ServiceRequestContext) async throws -> Rules {
        Rules(items: try await store.list(logger: context.logger))
    }

    @Sendable func set(_ request: Request, context: ServiceRequestContext) async throws -> XPRule {
        let admin = try context.require(.admin)
        guard let eventType = context.parameters.get("event_type"), XPRule.eventTypes.contains(eventType) else {
            throw Problem.invalid("event_type", "must be one of the events gamification receives: \(XPRule.eventTypes.joined(separator: ", "))")
        }
        let input = try await request.decodeJSON(as: XPRuleInput.self, context: context).validated()
        return try await store.set(eventType, input, by: admin.userID, logger: context.logger)
    }

    @Sendable func recompute(_ request: Request, context: ServiceRequestContext) async throws -> RecomputeReport {
        let admin = try context.require(.admin)
        let body = try await request.decodeJSON(as: RecomputeRequest.self, context: context)
        return try await store.recompute(body.policy, apply: body.apply ?? false, by: admin.userID, logger: context.logger)
    }
}

/// `/v1/levels`: the level curve (public to read; admins switch presets or bases).
struct LevelRoutes {
    let store: LevelStore

    func register(on v1: RouterGroup<ServiceRequestContext>) {
        v1.get("/levels", use: show)
        v1.put("/levels", use: set)
    }

    @Sendable func show(_ request: Request, context: ServiceRequestContext) async throws -> LevelsView {
        LevelsView(try await store.curve(logger: context.logger))
    }

    @Sendable func set(_ request: Request, context: ServiceRequestContext) async throws -> LevelsView {
        let admin = try context.require(.admin)
        let curve = try await request.decodeJSON(as: LevelCurveInput.self, context: context).validated()
        let relevelled = try await store.setCurve(curve, by: admin.userID, logger: context.logger)
        return LevelsView(curve, relevelled: relevelled)
    }
}

extension LevelsView: ResponseEncodable {}
