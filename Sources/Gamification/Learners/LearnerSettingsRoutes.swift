import Hummingbird
import ServiceKit

/// `GET|PUT /v1/users/{user_id}/settings`: a learner's timezone and leaderboard visibility.
struct LearnerSettingsRoutes {
    let store: LearnerSettingsStore

    func register(on v1: RouterGroup<ServiceRequestContext>) {
        v1.get("/users/:user_id/settings", use: show)
        v1.put("/users/:user_id/settings", use: update)
    }

    @Sendable func show(_ request: Request, context: ServiceRequestContext) async throws -> LearnerSettings {
        let userID = try context.readableUser(data: "settings")
        return try await store.settings(of: userID, logger: context.logger)
    }

    /// The learner themselves, or an admin.
    @Sendable func update(_ request: Request, context: ServiceRequestContext) async throws -> LearnerSettings {
        let userID = try context.writableUser(data: "settings")
        let patch = try await request.decodeJSON(as: LearnerSettingsPatch.self, context: context).validated()
        return try await store.update(userID, with: patch, logger: context.logger)
    }
}
