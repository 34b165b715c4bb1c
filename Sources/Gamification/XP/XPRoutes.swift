import Hummingbird
import ServiceKit

extension UserXP: ResponseEncodable {}

struct XPRoutes {
    let ledger: XPLedger
    let manual: ManualAwardStore

    func register(on v1: RouterGroup<ServiceRequestContext>) {
        v1.get("/users/:user_id/xp", use: show)
        v1.post("/users/:user_id/xp/awards", use: award)
    }

    @Sendable func show(_ request: Request, context: ServiceRequestContext) async throws -> UserXP {
        let userID = try context.readableUser(data: "XP")
        return try await ledger.totals(userID: userID, logger: context.logger)
    }

    /// An admin's award or correction: 201, or 200 with the first entry when `id` was used before.
    @Sendable func award(_ request: Request, context: ServiceRequestContext) async throws -> EditedResponse<ManualAward> {
        let admin = try context.require(.admin)
        let userID = try context.uuidParameter("user_id")
        let input = try await request.decodeJSON(as: ManualAwardInput.self, context: context).validated()
        switch try await manual.award(input, to: userID, by: admin.userID, logger: context.logger) {
        case .created(let award): return EditedResponse(status: .created, response: award)
        case .repeated(let award): return EditedResponse(status: .ok, response: award)
        }
    }
}
