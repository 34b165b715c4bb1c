import Foundation
import Hummingbird
import ServiceKit

/// Whose agent records a caller may see and write (the seed's RLS, made server-side).
///
/// Learners (`student`) see only their own chats, sessions and mentor tasks; curators, admins,
/// tech support and the agents (`service`) see everyone's. A learner naming another learner in a
/// filter or a body is 403; another learner's record by id is 404, as if it did not exist, so
/// ids cannot be probed.
struct AgentScope: Sendable {
    let caller: AuthenticatedUser

    /// Who reads conversations (chats, sessions and their messages).
    static let conversationReaders: [Role] = [.student, .curator, .admin, .techSupport, .service]
    /// Who creates chats, sessions, tasks and reports on a learner's behalf, or changes them.
    static let writers: [Role] = [.curator, .admin, .service]

    init(_ context: ServiceRequestContext, _ roles: [Role]) throws {
        caller = try context.require(roles)
    }

    var isLearner: Bool { caller.role == .student }

    /// The learner whose records the caller sees: their own for a learner, nil (everyone's) otherwise.
    var ownLearner: UUID? { isLearner ? caller.userID : nil }

    /// The optional learner filter `name` of a listing: absent means everyone's for staff and the
    /// learner's own for a learner; a learner naming another is 403.
    func learnerFilter(_ query: Parameters, _ name: String) throws -> UUID? {
        guard let named = try query.uuid(name) else { return ownLearner }
        try mayConcern(named, name)
        return named
    }

    /// The learner a new record is about: a learner may name only themselves (and may leave it
    /// out); staff and the agents must name one.
    func learner(_ named: UUID?, _ field: String) throws -> UUID {
        guard let named else {
            if isLearner { return caller.userID }
            throw AgentProblems.unprocessable([.init(field: field, message: "is required")])
        }
        try mayConcern(named, field)
        return named
    }

    private func mayConcern(_ learner: UUID, _ field: String) throws {
        guard caller.mayRead(userID: learner) else {
            throw AgentProblems.forbidden(field, "learners see and write only their own records")
        }
    }
}
