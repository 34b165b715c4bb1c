import Foundation
import Hummingbird
import ServiceKit

/// Whose tripwire students and figures a caller may read: an admin everyone's, a sales manager
/// only their own. Naming another manager is 403; another manager's student by id is 404 (as
/// if it did not exist, like a learner's quiz attempts).
struct SalesScope: Sendable {
    let caller: AuthenticatedUser

    init(_ context: ServiceRequestContext) throws {
        caller = try context.require(.admin, .salesManager)
    }

    var isAdmin: Bool { caller.role == .admin }

    /// The manager whose rows the caller sees: nil for an admin (everyone's).
    var ownManager: UUID? { isAdmin ? nil : caller.userID }

    /// A manager named by `text` (`me` or a UUID) that the caller may read; 400 for anything
    /// else naming `field`, 403 for a sales manager naming another.
    func manager(_ text: String, field: String) throws -> UUID {
        let id: UUID
        if text == "me" { id = caller.userID } else {
            guard let parsed = UUID(uuidString: text) else { throw Problem.invalid(field, "must be a UUID or \"me\", got \"\(text)\"") }
            id = parsed
        }
        guard isAdmin || id == caller.userID else { throw Problem.forbidden("sales managers see only their own students and figures") }
        return id
    }

    /// The path parameter `manager_id`.
    func manager(in context: ServiceRequestContext) throws -> UUID {
        try manager(context.parameters.get("manager_id") ?? "", field: "manager_id")
    }

    /// The optional query filter `manager_id`: absent means everyone's for an admin and their
    /// own for a sales manager.
    func managerFilter(_ query: Parameters) throws -> UUID? {
        guard let text = query["manager_id"].map(String.init) else { return ownManager }
        return try manager(text, field: "manager_id")
    }
}
