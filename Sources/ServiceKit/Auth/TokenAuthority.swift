import Foundation
import JWTKit
import Synchronization

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
    private let verified = VerifiedTokens()

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
        if let user = verified.user(for: token, at: Date()) { return user }
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
        let user = AuthenticatedUser(userID: userID, role: role)
        verified.store(user, for: token, expiresAt: claims.exp.value)
        return user
    }
}

/// Tokens this process has verified, until they expire: a client sends the same token with every
/// request, and verifying it (a hop onto the key collection's actor, HMAC, JSON claims) cost more
/// than some reads it guarded. Keyed by the whole token, so only the very bytes that verified are
/// trusted; the expiry is checked on every use.
final class VerifiedTokens: Sendable {
    static let maxEntries = 10_000
    private let entries = Mutex([String: (user: AuthenticatedUser, expiresAt: Date)]())

    func user(for token: String, at now: Date) -> AuthenticatedUser? {
        entries.withLock { entries in
            guard let entry = entries[token] else { return nil }
            guard now < entry.expiresAt else {
                entries[token] = nil
                return nil
            }
            return entry.user
        }
    }

    func store(_ user: AuthenticatedUser, for token: String, expiresAt: Date) {
        entries.withLock { entries in
            if entries.count >= Self.maxEntries { entries.removeAll(keepingCapacity: true) }
            entries[token] = (user, expiresAt)
        }
    }
}
