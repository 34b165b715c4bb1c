import Foundation
import Hummingbird
import ServiceKit

/// Whose data a read is about: students always their own; curators and admins whoever
/// `?user_id=` (or a `{user_id}` path parameter) names, themselves otherwise.
enum LearnerScope {
    static func user(_ request: Request, _ caller: AuthenticatedUser) throws -> UUID {
        guard let id = try request.uri.queryParameters.uuid("user_id") else { return caller.userID }
        return try allowed(id, caller)
    }

    static func allowed(_ userID: UUID, _ caller: AuthenticatedUser) throws -> UUID {
        if userID != caller.userID, ![.curator, .admin].contains(caller.role) {
            throw Problem.forbidden("students read only their own learning records")
        }
        return userID
    }
}
