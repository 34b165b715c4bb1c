import Foundation
import Hummingbird
import ServiceKit

/// Tripwire students: a sales manager (or an admin) grants a person the tripwire course, reads
/// their students and deactivates them. Managers see only the students they granted.
struct TripwireRoutes {
    let store: TripwireStore
    let settings: LeadsSettings

    func register(on v1: RouterGroup<ServiceRequestContext>) {
        v1.post("/tripwire/students", use: grant)
        v1.get("/tripwire/students", use: list)
        v1.get("/tripwire/students/:student_id", use: show)
        v1.patch("/tripwire/students/:student_id", use: setStatus)
    }

    /// 201 with `created: true` for a new student; 200 with `created: false` when this manager
    /// already granted this person.
    @Sendable func grant(_ request: Request, context: ServiceRequestContext) async throws -> EditedResponse<GrantResult> {
        let scope = try SalesScope(context)
        let grant = try await request.decodeJSON(as: GrantInput.self, context: context).validated()
        guard let course = settings.tripwireCourse else {
            throw Problem.status(.serviceUnavailable, detail: "no tripwire course is configured (LEADS_TRIPWIRE_COURSE)")
        }
        let result = try await store.grant(grant, course: course, by: scope.caller.userID, logger: context.logger)
        return EditedResponse(status: result.created ? .created : .ok, response: result)
    }

    /// Newest first; `status`, `manager_id` (admins; a manager may name only themselves), `cursor`, `limit`.
    @Sendable func list(_ request: Request, context: ServiceRequestContext) async throws -> Page<TripwireStudentView> {
        let scope = try SalesScope(context)
        let query = request.uri.queryParameters
        let page = try PageQuery(query)
        let manager = try scope.managerFilter(query)
        let status = query["status"].map(String.init)
        if let status, !Self.statuses.contains(status) {
            throw Problem.invalid("status", "must be one of \(Self.statuses.joined(separator: ", "))")
        }
        return try await store.list(manager: manager, status: status, after: page.after, limit: page.limit, logger: context.logger)
    }

    static let statuses = ["active", "inactive", "completed"]

    /// Another manager's student is 404, as if it did not exist.
    @Sendable func show(_ request: Request, context: ServiceRequestContext) async throws -> TripwireStudentView {
        let scope = try SalesScope(context)
        let id = try context.uuidParameter("student_id")
        guard let student = try await store.get(id, manager: scope.ownManager, logger: context.logger) else {
            throw Problem.notFound("no tripwire student \(id)")
        }
        return student
    }

    /// `{"status": "inactive"}` or `"active"`; a completed student is 409.
    @Sendable func setStatus(_ request: Request, context: ServiceRequestContext) async throws -> TripwireStudentView {
        let scope = try SalesScope(context)
        let id = try context.uuidParameter("student_id")
        let status = try await request.decodeJSON(as: StudentStatusInput.self, context: context).validated()
        guard let student = try await store.setStatus(id, to: status, manager: scope.ownManager, actor: scope.caller.userID,
                                                      logger: context.logger) else {
            throw Problem.notFound("no tripwire student \(id)")
        }
        return student
    }
}
