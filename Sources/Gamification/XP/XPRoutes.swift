import Hummingbird
import ServiceKit

extension UserXP: ResponseEncodable {}

struct XPRoutes {
    let ledger: XPLedger

    func register(on v1: RouterGroup<ServiceRequestContext>) {
        v1.get("/users/:user_id/xp", use: show)
    }

    @Sendable func show(_ request: Request, context: ServiceRequestContext) async throws -> UserXP {
        let caller = try context.require(.student, .curator, .admin, .techSupport, .service)
        let userID = try context.uuidParameter("user_id")
        guard caller.mayRead(userID: userID) else {
            throw Problem.forbidden("students may read only their own XP")
        }
        return try await ledger.totals(userID: userID, logger: context.logger)
    }
}
