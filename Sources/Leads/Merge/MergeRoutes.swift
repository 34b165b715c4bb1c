import Hummingbird
import ServiceKit

/// Merging two leads that are one person (admin or sales manager).
struct MergeRoutes {
    let store: MergeStore

    func register(on v1: RouterGroup<ServiceRequestContext>) {
        v1.post("/leads/merge", use: merge)
    }

    @Sendable func merge(_ request: Request, context: ServiceRequestContext) async throws -> MergeResult {
        let staff = try context.require(.admin, .salesManager)
        let input = try await request.decodeJSON(as: MergeInput.self, context: context).validated()
        return try await store.merge(input, by: staff.userID, logger: context.logger)
    }
}
