import Contracts
import Foundation
import Hummingbird
import NIOCore

/// The request context of every Lyceum route: the caller's identity once authenticated, and
/// Lyceum's JSON dialect for responses.
public struct ServiceRequestContext: RemoteAddressRequestContext {
    public var coreContext: CoreRequestContextStorage
    public var identity: AuthenticatedUser?
    /// The TCP peer (a proxy, behind one): what per-client limits key on (`remoteAddress?.ipAddress`,
    /// formatted only where a limit asks). `X-Forwarded-For` is only to be believed from a trusted peer.
    public let remoteAddress: SocketAddress?

    public init(source: ApplicationRequestContextSource) {
        self.coreContext = .init(source: source)
        self.remoteAddress = source.channel.remoteAddress
    }

    public var responseEncoder: JSONEncoder { LyceumJSON.encoder() }
    public var maxUploadSize: Int { 1024 * 1024 }

    /// The caller, who must hold one of `roles`: 401 without a token, 403 with another role.
    @discardableResult
    public func require(_ roles: Role...) throws -> AuthenticatedUser {
        try require(roles)
    }

    /// `require` with the roles as a list (a route's role set kept in one constant).
    @discardableResult
    public func require(_ roles: [Role]) throws -> AuthenticatedUser {
        guard let identity else {
            throw Problem.unauthorized("this endpoint needs a bearer token (Authorization: Bearer <JWT>)")
        }
        guard roles.contains(identity.role) else {
            throw Problem.forbidden("role \(identity.role.rawValue) may not do this; allowed: \(roles.map(\.rawValue).joined(separator: ", "))")
        }
        return identity
    }

    /// The learner named by the UUID path parameter `name`, when the caller may read their data
    /// (themselves, or staff: `AuthenticatedUser.mayRead`): 401, 403, or a 400 naming the parameter.
    public func readableUser(_ name: String = "user_id", data: String) throws -> UUID {
        let caller = try require(.student, .curator, .admin, .techSupport, .service)
        let userID = try uuidParameter(name)
        guard caller.mayRead(userID: userID) else { throw Problem.forbidden("learners see only their own \(data)") }
        return userID
    }

    /// The learner named by the UUID path parameter `name`, when the caller may change their data:
    /// themselves or an admin.
    public func writableUser(_ name: String = "user_id", data: String) throws -> UUID {
        let caller = try require(.student, .admin)
        let userID = try uuidParameter(name)
        guard caller.userID == userID || caller.role == .admin else { throw Problem.forbidden("learners change only their own \(data)") }
        return userID
    }

    /// A UUID path parameter, or a 400 naming it.
    public func uuidParameter(_ name: String) throws -> UUID {
        guard let text = parameters.get(name), let id = UUID(uuidString: text) else {
            throw Problem.invalid(name, "must be a UUID, got \"\(parameters.get(name) ?? "")\"")
        }
        return id
    }
}
