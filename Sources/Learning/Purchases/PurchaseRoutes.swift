import Foundation
import Hummingbird
import ServiceKit

extension PurchaseView: ResponseEncodable {}

/// Purchases: recorded and moved on by admins or a payment service; learners read their own.
struct PurchaseRoutes {
    let store: PurchaseStore

    func register(on v1: RouterGroup<ServiceRequestContext>) {
        v1.post("/purchases", use: record)
        v1.get("/purchases", use: list)
        v1.get("/purchases/:purchase_id", use: show)
        v1.patch("/purchases/:purchase_id", use: update)
    }

    @Sendable func record(_ request: Request, context: ServiceRequestContext) async throws -> EditedResponse<PurchaseView> {
        let staff = try context.require(.admin, .service)
        let input = try await request.decodeJSON(as: PurchaseInput.self, context: context).validated()
        switch try await store.record(input, by: staff.userID, logger: context.logger) {
        case .created(let purchase): return EditedResponse(status: .created, response: purchase)
        case .existing(let purchase): return EditedResponse(status: .ok, response: purchase)
        }
    }

    @Sendable func update(_ request: Request, context: ServiceRequestContext) async throws -> PurchaseView {
        let staff = try context.require(.admin, .service)
        let id = try context.uuidParameter("purchase_id")
        let change = try await request.decodeJSON(as: PurchaseUpdate.self, context: context).validated()
        guard let purchase = try await store.update(id, to: change, by: staff.userID, logger: context.logger) else {
            throw Problem.notFound("no purchase \(id)")
        }
        return purchase
    }

    /// Staff filter by `user_id` and `course_id`; a student sees only their own purchases.
    @Sendable func list(_ request: Request, context: ServiceRequestContext) async throws -> Page<PurchaseView> {
        let caller = try context.require(.student, .admin, .service)
        let query = request.uri.queryParameters
        let page = try PageQuery(query)
        var userID = try query.uuid("user_id")
        let courseID = try query.uuid("course_id")
        if caller.role == .student {
            if let userID, userID != caller.userID { throw Problem.forbidden("students read only their own purchases") }
            userID = caller.userID
        }
        return try await store.list(userID: userID, courseID: courseID, after: page.after, limit: page.limit, logger: context.logger)
    }

    /// Another learner's purchase is a 404 to a student, so ids do not leak.
    @Sendable func show(_ request: Request, context: ServiceRequestContext) async throws -> PurchaseView {
        let caller = try context.require(.student, .admin, .service)
        let id = try context.uuidParameter("purchase_id")
        guard let purchase = try await store.get(id, logger: context.logger), caller.role != .student || purchase.userId == caller.userID else {
            throw Problem.notFound("no purchase \(id)")
        }
        return purchase
    }
}
