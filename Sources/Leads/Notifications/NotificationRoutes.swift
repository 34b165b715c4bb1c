import Foundation
import Hummingbird
import ServiceKit

/// Scheduling, reading and cancelling notifications (admin, sales_manager, service), and the
/// public tracked link that counts a click and redirects.
struct NotificationRoutes {
    let store: NotificationStore
    let settings: NotificationSettings

    func register(on v1: RouterGroup<ServiceRequestContext>) {
        v1.post("/leads/:lead_id/notifications", use: create)
        v1.get("/leads/:lead_id/notifications", use: list)
        v1.post("/notifications/:notification_id/cancel", use: cancel)
        v1.get("/t/:token", use: click)
    }

    /// 201 with the new notification; 200 with the existing one for a repeated idempotency key.
    @Sendable func create(_ request: Request, context: ServiceRequestContext) async throws -> EditedResponse<NotificationView> {
        let staff = try context.require(.admin, .salesManager, .service)
        let id = try context.uuidParameter("lead_id")
        let input = try await request.decodeJSON(as: NotificationInput.self, context: context).validated()
        switch try await store.create(input, for: id, maxAttempts: input.maxAttempts ?? settings.maxAttempts, actor: staff.userID,
                                      logger: context.logger) {
        case .created(let notification): return EditedResponse(status: .created, response: notification)
        case .existing(let notification): return EditedResponse(status: .ok, response: notification)
        case nil: throw Problem.notFound("no lead \(id)")
        }
    }

    @Sendable func list(_ request: Request, context: ServiceRequestContext) async throws -> NotificationList {
        try context.require(.admin, .salesManager, .service)
        let id = try context.uuidParameter("lead_id")
        guard let items = try await store.list(leadID: id, logger: context.logger) else { throw Problem.notFound("no lead \(id)") }
        return NotificationList(items: items)
    }

    /// Only a pending notification may be cancelled; any other status is 409.
    @Sendable func cancel(_ request: Request, context: ServiceRequestContext) async throws -> NotificationView {
        try context.require(.admin, .salesManager, .service)
        let id = try context.uuidParameter("notification_id")
        switch try await store.cancel(id, logger: context.logger) {
        case .cancelled(let notification): return notification
        case .notFound: throw Problem.notFound("no notification \(id)")
        case .notPending(let status):
            throw Problem(status: .conflict, type: "https://lyceum.dev/problems/not-pending", title: "Not pending",
                          detail: "notification \(id) is \(status); only a pending one can be cancelled",
                          errors: [Problem.FieldError(field: "status", message: "is \(status), not pending")])
        }
    }

    /// Public: counts the click and redirects (302) to the template's target; 404 for an unknown token.
    @Sendable func click(_ request: Request, context: ServiceRequestContext) async throws -> Response {
        let token = context.parameters.get("token") ?? ""
        guard token.count == 32, token.allSatisfy(\.isHexDigit),
              let template = try await store.click(token: token, logger: context.logger) else {
            throw Problem.notFound("no tracked link \(token.prefix(64))")
        }
        let target = settings.templateLinks[template] ?? NotificationTemplates.builtIn[template]?.link ?? settings.publicURL
        return Response(status: .found, headers: [.location: target, .cacheControl: "no-store"])
    }
}
