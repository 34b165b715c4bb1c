import Foundation
import Hummingbird
import ServiceKit

/// `/v1/achievements`: definitions (admins author and activate; the public reads active ones
/// with their live share of holders), learners' standings and revocations.
struct AchievementRoutes {
    let store: AchievementStore

    func register(on v1: RouterGroup<ServiceRequestContext>) {
        v1.get("/achievements", use: list)
        v1.post("/achievements", use: create)
        v1.get("/achievements/:achievement_id", use: show)
        v1.patch("/achievements/:achievement_id", use: update)
        v1.post("/achievements/:achievement_id/activate", use: activate)
        v1.post("/achievements/:achievement_id/deactivate", use: deactivate)
        v1.get("/users/:user_id/achievements", use: standings)
        v1.post("/users/:user_id/achievements/:achievement_id/revoke", use: revoke)
    }

    struct Items<T: Encodable & Sendable>: ResponseEncodable, Sendable {
        var items: [T]
    }

    private func isStaff(_ context: ServiceRequestContext) -> Bool {
        context.identity.map { [.admin, .curator].contains($0.role) } ?? false
    }

    private static func unwrap<T>(_ outcome: AchievementStore.Outcome<T>, _ id: UUID?) throws -> T {
        switch outcome {
        case .done(let value): return value
        case .notFound: throw Problem.notFound("no achievement \(id?.uuidString ?? "")")
        case .conflict(let why): throw Problem(status: .conflict, type: "https://lyceum.dev/problems/conflict", title: "Conflict", detail: why)
        }
    }

    @Sendable func list(_ request: Request, context: ServiceRequestContext) async throws -> Items<AchievementView> {
        Items(items: try await store.list(staff: isStaff(context), logger: context.logger))
    }

    @Sendable func show(_ request: Request, context: ServiceRequestContext) async throws -> AchievementView {
        let id = try context.uuidParameter("achievement_id")
        guard let view = try await store.achievement(id, logger: context.logger), isStaff(context) || (view.active && !view.secret) else {
            throw Problem.notFound("no achievement \(id)")
        }
        return view
    }

    @Sendable func create(_ request: Request, context: ServiceRequestContext) async throws -> EditedResponse<AchievementView> {
        let admin = try context.require(.admin)
        let input = try await request.decodeJSON(as: AchievementInput.self, context: context).validated(creating: true)
        return EditedResponse(status: .created, response: try Self.unwrap(await store.create(input, by: admin.userID, logger: context.logger), nil))
    }

    @Sendable func update(_ request: Request, context: ServiceRequestContext) async throws -> AchievementView {
        try context.require(.admin)
        let id = try context.uuidParameter("achievement_id")
        let patch = try await request.decodeJSON(as: AchievementInput.self, context: context).validated(creating: false)
        return try Self.unwrap(await store.update(id, with: patch, logger: context.logger), id)
    }

    struct Activate: Decodable, Sendable {
        var dryRun: Bool?

        enum CodingKeys: String, CodingKey {
            case dryRun = "dry_run"
        }
    }

    struct Activation: ResponseEncodable, Sendable {
        var achievement: AchievementView
        var dryRun: Bool
        /// Learners who qualify now and do not hold it yet: the backfill awards them.
        var qualifyingLearners: Int

        enum CodingKeys: String, CodingKey {
            case achievement
            case dryRun = "dry_run"
            case qualifyingLearners = "qualifying_learners"
        }
    }

    /// `{"dry_run": true}` (the default) only counts; `false` activates and starts the backfill.
    @Sendable func activate(_ request: Request, context: ServiceRequestContext) async throws -> Activation {
        try context.require(.admin)
        let id = try context.uuidParameter("achievement_id")
        let dryRun = try await request.decodeJSON(as: Activate.self, context: context, allowEmpty: true)?.dryRun ?? true
        let (view, qualifying) = try Self.unwrap(await store.activate(id, dryRun: dryRun, logger: context.logger), id)
        return Activation(achievement: view, dryRun: dryRun, qualifyingLearners: qualifying)
    }

    @Sendable func deactivate(_ request: Request, context: ServiceRequestContext) async throws -> AchievementView {
        try context.require(.admin)
        let id = try context.uuidParameter("achievement_id")
        guard let view = try await store.deactivate(id, logger: context.logger) else { throw Problem.notFound("no achievement \(id)") }
        return view
    }

    @Sendable func standings(_ request: Request, context: ServiceRequestContext) async throws -> Items<LearnerAchievement> {
        let userID = try context.readableUser(data: "achievements")
        return Items(items: try await store.standings(of: userID, logger: context.logger))
    }

    struct Revoke: Decodable, Sendable {
        var reason: String
    }

    @Sendable func revoke(_ request: Request, context: ServiceRequestContext) async throws -> HTTPResponse.Status {
        let admin = try context.require(.admin)
        let userID = try context.uuidParameter("user_id")
        let id = try context.uuidParameter("achievement_id")
        let reason = try await request.decodeJSON(as: Revoke.self, context: context).reason.trimmingCharacters(in: .whitespacesAndNewlines)
        var checks = FieldChecks()
        checks.text(reason, "reason", max: 500, required: true)
        try checks.throwIfAny()
        guard try await store.revoke(id, of: userID, reason: reason, by: admin.userID, logger: context.logger) else {
            throw Problem.notFound("learner \(userID) does not hold achievement \(id)")
        }
        return .noContent
    }
}

extension LearnerAchievement: ResponseEncodable {}
