import Hummingbird

/// Reads `Authorization: Bearer <JWT>` when present; routes decide with `context.require(...)`
/// whether a caller is needed, so public endpoints simply do not ask.
public struct AuthenticationMiddleware: RouterMiddleware {
    public typealias Context = ServiceRequestContext
    let authority: TokenAuthority

    public init(authority: TokenAuthority) {
        self.authority = authority
    }

    public func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard let header = request.headers[.authorization] else {
            return try await next(request, context)
        }
        let parts = header.split(separator: " ", maxSplits: 1)
        guard parts.count == 2, parts[0].lowercased() == "bearer" else {
            throw Problem.unauthorized("Authorization header must be \"Bearer <token>\"")
        }
        var context = context
        let identity = try await authority.verify(String(parts[1]).trimmingCharacters(in: .whitespaces))
        context.identity = identity
        context.logger[metadataKey: "user_id"] = "\(identity.userID)"
        return try await next(request, context)
    }
}
