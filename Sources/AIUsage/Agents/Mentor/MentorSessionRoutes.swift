import Foundation
import Hummingbird
import ServiceKit

/// Sessions with the AI mentor: a learner reads their own and adds `user` messages to them;
/// curators, admins, tech support and the mentor agent (`service`) read all; the agent, curators
/// and admins open, change and write in them.
struct MentorSessionRoutes {
    let store: MentorSessionStore

    func register(on v1: RouterGroup<ServiceRequestContext>) {
        v1.post("/mentor/sessions", use: create)
        v1.get("/mentor/sessions", use: list)
        v1.get("/mentor/sessions/:session_id", use: show)
        v1.patch("/mentor/sessions/:session_id", use: change)
        v1.post("/mentor/sessions/:session_id/messages", use: addMessage)
        v1.get("/mentor/sessions/:session_id/messages", use: messages)
    }

    @Sendable func create(_ request: Request, context: ServiceRequestContext) async throws -> EditedResponse<MentorSessionView> {
        let scope = try AgentScope(context, AgentScope.writers)
        let session = try await request.decodeJSON(as: MentorSessionInput.self, context: context).validated(scope: scope)
        return EditedResponse(status: .created, response: try await store.create(session, logger: context.logger))
    }

    /// Newest first; `student_id` (a learner may name only themselves), `status`, `cursor`, `limit`.
    @Sendable func list(_ request: Request, context: ServiceRequestContext) async throws -> Page<MentorSessionView> {
        let scope = try AgentScope(context, AgentScope.conversationReaders)
        let query = request.uri.queryParameters
        let student = try scope.learnerFilter(query, "student_id")
        let status = try query.choice("status", MentorSessionInput.statuses)
        let page = try PageQuery(query)
        return try await store.list(student: student, status: status, after: page.after, limit: page.limit, logger: context.logger)
    }

    @Sendable func show(_ request: Request, context: ServiceRequestContext) async throws -> MentorSessionView {
        let scope = try AgentScope(context, AgentScope.conversationReaders)
        let id = try context.uuidParameter("session_id")
        guard let session = try await store.session(id, owner: scope.ownLearner, logger: context.logger) else { throw Self.noSession(id) }
        return session
    }

    /// `status` (active → completed | cancelled), `recommendations`, `action_items`, `follow_up_date`.
    @Sendable func change(_ request: Request, context: ServiceRequestContext) async throws -> MentorSessionView {
        _ = try AgentScope(context, AgentScope.writers)
        let id = try context.uuidParameter("session_id")
        let change = try await request.decodeJSON(as: MentorSessionChangeInput.self, context: context).validated()
        guard let session = try await store.change(id, change, logger: context.logger) else { throw Self.noSession(id) }
        return session
    }

    static let messageWriters: [Role] = [.student] + AgentScope.writers

    @Sendable func addMessage(_ request: Request, context: ServiceRequestContext) async throws -> EditedResponse<MentorMessageView> {
        let scope = try AgentScope(context, Self.messageWriters)
        let id = try context.uuidParameter("session_id")
        let message = try await request.decodeJSON(as: MentorMessageInput.self, context: context).validated(scope: scope)
        guard let added = try await store.addMessage(message, to: id, owner: scope.ownLearner, logger: context.logger) else {
            throw Self.noSession(id)
        }
        return EditedResponse(status: .created, response: added)
    }

    /// Oldest first; `cursor`, `limit`.
    @Sendable func messages(_ request: Request, context: ServiceRequestContext) async throws -> Page<MentorMessageView> {
        let scope = try AgentScope(context, AgentScope.conversationReaders)
        let id = try context.uuidParameter("session_id")
        let page = try PageQuery(request.uri.queryParameters)
        guard let messages = try await store.messages(of: id, owner: scope.ownLearner, after: page.after, limit: page.limit,
                                                      logger: context.logger) else { throw Self.noSession(id) }
        return messages
    }

    static func noSession(_ id: UUID) -> Problem { Problem.notFound("no mentor session \(id)") }
}
