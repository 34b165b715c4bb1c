import Foundation
import Hummingbird
import ServiceKit

/// `GET|PUT /v1/learners/{user_id}` (the name on certificates) and `GET /v1/users/{user_id}/stats`.
struct LearnerRoutes {
    let store: LearnerStore

    func register(on v1: RouterGroup<ServiceRequestContext>) {
        v1.get("/learners/:user_id", use: profile)
        v1.put("/learners/:user_id", use: setProfile)
        v1.get("/users/:user_id/stats", use: stats)
    }

    struct ProfileInput: Decodable {
        var displayName: String

        enum CodingKeys: String, CodingKey {
            case displayName = "display_name"
        }
    }

    @Sendable func profile(_ request: Request, context: ServiceRequestContext) async throws -> LearnerProfile {
        let caller = try context.require(.student, .curator, .admin)
        let userID = try LearnerScope.allowed(try context.uuidParameter("user_id"), caller)
        guard let profile = try await store.profile(userID: userID, logger: context.logger) else {
            throw Problem.notFound("learner \(userID) has not set a profile")
        }
        return profile
    }

    @Sendable func setProfile(_ request: Request, context: ServiceRequestContext) async throws -> LearnerProfile {
        let caller = try context.require(.student, .admin)
        let userID = try LearnerScope.allowed(try context.uuidParameter("user_id"), caller)
        let body = try await request.decodeJSON(as: ProfileInput.self, context: context)
        var checks = FieldChecks()
        checks.text(body.displayName, "display_name", max: 200, required: true)
        try checks.throwIfAny()
        return try await store.setName(body.displayName.trimmingCharacters(in: .whitespacesAndNewlines), userID: userID, logger: context.logger)
    }

    @Sendable func stats(_ request: Request, context: ServiceRequestContext) async throws -> LearnerStats {
        let caller = try context.require(.student, .curator, .admin)
        let userID = try LearnerScope.allowed(try context.uuidParameter("user_id"), caller)
        return try await store.stats(userID: userID, logger: context.logger)
    }
}
