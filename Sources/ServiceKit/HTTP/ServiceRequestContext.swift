import Contracts
import Foundation
import Hummingbird

/// The request context of every Lyceum route: the caller's identity once authenticated, and
/// Lyceum's JSON dialect for responses.
public struct ServiceRequestContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    public var identity: AuthenticatedUser?

    public init(source: ApplicationRequestContextSource) {
        self.coreContext = .init(source: source)
    }

    public var responseEncoder: JSONEncoder { LyceumJSON.encoder() }
    public var maxUploadSize: Int { 1024 * 1024 }

    /// The caller, who must hold one of `roles`: 401 without a token, 403 with another role.
    @discardableResult
    public func require(_ roles: Role...) throws -> AuthenticatedUser {
        guard let identity else {
            throw Problem.unauthorized("this endpoint needs a bearer token (Authorization: Bearer <JWT>)")
        }
        guard roles.contains(identity.role) else {
            throw Problem.forbidden("role \(identity.role.rawValue) may not do this; allowed: \(roles.map(\.rawValue).joined(separator: ", "))")
        }
        return identity
    }

    /// A UUID path parameter, or a 400 naming it.
    public func uuidParameter(_ name: String) throws -> UUID {
        guard let text = parameters.get(name), let id = UUID(uuidString: text) else {
            throw Problem.invalid(name, "must be a UUID, got \"\(parameters.get(name) ?? "")\"")
        }
        return id
    }
}
