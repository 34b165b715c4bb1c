import Foundation
import JWTKit

struct LyceumClaims: JWTPayload {
    var sub: SubjectClaim
    var role: String
    var exp: ExpirationClaim
    var iat: IssuedAtClaim

    func verify(using algorithm: some JWTAlgorithm) async throws {
        try exp.verifyNotExpired()
    }
}

/// Issues and verifies Lyceum's HS256 bearer tokens (`sub` = user UUID, `role`, `exp`).
public struct TokenAuthority: Sendable {
    private let keys: JWTKeyCollection

    public static let minimumSecretBytes = 32

    /// Refuses a secret shorter than the HMAC-SHA256 output: such keys are guessable.
    public init(secret: String) async throws {
        guard secret.utf8.count >= Self.minimumSecretBytes else {
            throw ConfigurationError("LYCEUM_JWT_SECRET must be at least \(Self.minimumSecretBytes) bytes long")
        }
        keys = JWTKeyCollection()
        await keys.add(hmac: HMACKey(from: secret), digestAlgorithm: .sha256)
    }

    public func issue(userID: UUID, role: Role, ttl: Duration) async throws -> String {
        let now = Date()
        let claims = LyceumClaims(
            sub: SubjectClaim(value: userID.uuidString.lowercased()),
            role: role.rawValue,
            exp: ExpirationClaim(value: now.addingTimeInterval(TimeInterval(ttl.components.seconds))),
            iat: IssuedAtClaim(value: now))
        return try await keys.sign(claims)
    }

    /// The caller behind a token, or a 401 problem saying why the token is refused.
    public func verify(_ token: String) async throws -> AuthenticatedUser {
        let claims: LyceumClaims
        do {
            claims = try await keys.verify(token, as: LyceumClaims.self)
        } catch let error as JWTError where error.errorType == .claimVerificationFailure {
            throw Problem.unauthorized("the bearer token has expired")
        } catch {
            throw Problem.unauthorized("the bearer token is invalid (bad signature, format or claims)")
        }
        guard let userID = UUID(uuidString: claims.sub.value) else {
            throw Problem.unauthorized("the token's sub claim must be a user UUID")
        }
        guard let role = Role(rawValue: claims.role) else {
            throw Problem.unauthorized("the token's role \"\(claims.role)\" is not one of \(Role.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        return AuthenticatedUser(userID: userID, role: role)
    }
}
