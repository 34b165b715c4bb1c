import Foundation
import Hummingbird
import ServiceKit

/// Chats with the AI curator: a learner reads and writes in their own chats; curators, admins,
/// tech support and the curator agent (`service`) read all, and all but tech support write.
struct CuratorChatRoutes {
    let store: CuratorChatStore

    func register(on v1: RouterGroup<ServiceRequestContext>) {
        v1.post("/curator/chats", use: create)
        v1.get("/curator/chats", use: list)
        v1.get("/curator/chats/:chat_id", use: show)
        v1.post("/curator/chats/:chat_id/messages", use: addMessage)
        v1.get("/curator/chats/:chat_id/messages", use: messages)
        v1.get("/curator/problems", use: problems)
    }

    static let writers: [Role] = [.student] + AgentScope.writers

    @Sendable func create(_ request: Request, context: ServiceRequestContext) async throws -> EditedResponse<CuratorChatView> {
        let scope = try AgentScope(context, Self.writers)
        let chat = try await request.decodeJSON(as: CuratorChatInput.self, context: context).validated(scope: scope)
        return EditedResponse(status: .created, response: try await store.create(chat, logger: context.logger))
    }

    /// Newest first; `user_id` (a learner may name only themselves), `cursor`, `limit`.
    @Sendable func list(_ request: Request, context: ServiceRequestContext) async throws -> Page<CuratorChatView> {
        let scope = try AgentScope(context, AgentScope.conversationReaders)
        let query = request.uri.queryParameters
        let user = try scope.learnerFilter(query, "user_id")
        let page = try PageQuery(query)
        return try await store.list(user: user, after: page.after, limit: page.limit, logger: context.logger)
    }

    @Sendable func show(_ request: Request, context: ServiceRequestContext) async throws -> CuratorChatView {
        let scope = try AgentScope(context, AgentScope.conversationReaders)
        let id = try context.uuidParameter("chat_id")
        guard let chat = try await store.chat(id, owner: scope.ownLearner, logger: context.logger) else { throw Self.noChat(id) }
        return chat
    }

    @Sendable func addMessage(_ request: Request, context: ServiceRequestContext) async throws -> EditedResponse<CuratorMessageView> {
        let scope = try AgentScope(context, Self.writers)
        let id = try context.uuidParameter("chat_id")
        let message = try await request.decodeJSON(as: CuratorMessageInput.self, context: context).validated(scope: scope)
        guard let added = try await store.addMessage(message, to: id, owner: scope.ownLearner, logger: context.logger) else {
            throw Self.noChat(id)
        }
        return EditedResponse(status: .created, response: added)
    }

    /// Oldest first; `cursor`, `limit`.
    @Sendable func messages(_ request: Request, context: ServiceRequestContext) async throws -> Page<CuratorMessageView> {
        let scope = try AgentScope(context, AgentScope.conversationReaders)
        let id = try context.uuidParameter("chat_id")
        let page = try PageQuery(request.uri.queryParameters)
        guard let messages = try await store.messages(of: id, owner: scope.ownLearner, after: page.after, limit: page.limit,
                                                      logger: context.logger) else { throw Self.noChat(id) }
        return messages
    }

    /// Staff's feed of messages with a detected problem, newest first; `problem_type`, `mood`,
    /// `from` (inclusive), `to` (exclusive), `cursor`, `limit`.
    @Sendable func problems(_ request: Request, context: ServiceRequestContext) async throws -> Page<CuratorProblemView> {
        _ = try AgentScope(context, [.curator, .admin, .techSupport, .service])
        let query = request.uri.queryParameters
        let filter = CuratorChatStore.ProblemFilter(
            problemType: try query.choice("problem_type", CuratorMessageInput.problemTypes),
            mood: try query.choice("mood", CuratorMessageInput.moods),
            from: try query.timestamp("from"), to: try query.timestamp("to"))
        if let from = filter.from, let to = filter.to, to <= from { throw Problem.invalid("to", "must be after from") }
        let page = try PageQuery(query)
        return try await store.problems(filter, after: page.after, limit: page.limit, logger: context.logger)
    }

    static func noChat(_ id: UUID) -> Problem { Problem.notFound("no curator chat \(id)") }
}
