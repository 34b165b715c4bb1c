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
        // Foundation's trimmingCharacters(in:) goes through NSString: 3% of a service's CPU.
        var token = parts[1]
        while token.first?.isWhitespace == true { token.removeFirst() }
        while token.last?.isWhitespace == true { token.removeLast() }
        let identity = try await authority.verify(String(token))
        context.identity = identity
        context.logger[metadataKey: "user_id"] = .stringConvertible(identity.userID)  // formatted only if a line is written
        return try await next(request, context)
    }
}
