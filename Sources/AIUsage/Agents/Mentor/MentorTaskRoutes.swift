import Foundation
import Hummingbird
import ServiceKit

/// The AI mentor's tasks: created and moved along by the agents (`service`), curators and admins,
/// who read them all; a learner reads only the tasks about themselves.
struct MentorTaskRoutes {
    let store: MentorTaskStore

    func register(on v1: RouterGroup<ServiceRequestContext>) {
        v1.post("/mentor/tasks", use: create)
        v1.get("/mentor/tasks", use: list)
        v1.patch("/mentor/tasks/:task_id", use: change)
    }

    @Sendable func create(_ request: Request, context: ServiceRequestContext) async throws -> EditedResponse<MentorTaskView> {
        _ = try AgentScope(context, AgentScope.writers)
        let task = try await request.decodeJSON(as: MentorTaskInput.self, context: context).validated()
        return EditedResponse(status: .created, response: try await store.create(task, logger: context.logger))
    }

    /// Newest first; `student_id` (a learner: only themselves), `status`, `priority`, `cursor`, `limit`.
    @Sendable func list(_ request: Request, context: ServiceRequestContext) async throws -> Page<MentorTaskView> {
        let scope = try AgentScope(context, [.student] + AgentScope.writers)
        let query = request.uri.queryParameters
        let filter = MentorTaskStore.Filter(student: try scope.learnerFilter(query, "student_id"),
                                            status: try query.choice("status", MentorTaskInput.statuses),
                                            priority: try query.choice("priority", MentorTaskInput.priorities))
        let page = try PageQuery(query)
        return try await store.list(filter, after: page.after, limit: page.limit, logger: context.logger)
    }

    /// `status` (pending → in_progress → completed, or → cancelled) and, on completion, `result`.
    @Sendable func change(_ request: Request, context: ServiceRequestContext) async throws -> MentorTaskView {
        _ = try AgentScope(context, AgentScope.writers)
        let id = try context.uuidParameter("task_id")
        let change = try await request.decodeJSON(as: MentorTaskChangeInput.self, context: context).validated()
        guard let task = try await store.change(id, change, logger: context.logger) else { throw Problem.notFound("no mentor task \(id)") }
        return task
    }
}
