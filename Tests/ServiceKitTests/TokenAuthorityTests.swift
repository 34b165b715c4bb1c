import Foundation
import ServiceKit
import Testing

@Suite struct TokenAuthorityTests {
    let secret = "a-test-secret-of-at-least-thirty-two-bytes"

    @Test func issuedTokensVerifyWithTheirRole() async throws {
        let authority = try await TokenAuthority(secret: secret)
        let user = UUID()
        let token = try await authority.issue(userID: user, role: .salesManager, ttl: .seconds(60))
        #expect(try await authority.verify(token) == AuthenticatedUser(userID: user, role: .salesManager))
    }

    @Test func expiredForeignAndGarbageTokensAreRefused() async throws {
        let authority = try await TokenAuthority(secret: secret)
        let expired = try await authority.issue(userID: UUID(), role: .admin, ttl: .seconds(-1))
        let foreign = try await TokenAuthority(secret: secret + "-other").issue(userID: UUID(), role: .admin, ttl: .seconds(60))
        for token in [expired, foreign, "garbage", ""] {
            await #expect(throws: Problem.self) { try await authority.verify(token) }
        }
        do {
            _ = try await authority.verify(expired)
        } catch let problem as Problem {
            #expect(problem.status == .unauthorized && problem.detail.contains("expired"))
        }
    }

    /// Verified tokens are remembered, but only until they expire, and only those very bytes.
    @Test func aRememberedTokenStillExpiresAndAnAlteredCopyIsRefused() async throws {
        let authority = try await TokenAuthority(secret: secret)
        let user = UUID()
        let token = try await authority.issue(userID: user, role: .student, ttl: .seconds(2))
        #expect(try await authority.verify(token) == AuthenticatedUser(userID: user, role: .student))
        #expect(try await authority.verify(token) == AuthenticatedUser(userID: user, role: .student))
        // The signature's first character: its last one carries two padding bits, and changing
        // only those (A↔B) decodes to the same signature.
        let parts = token.split(separator: ".", omittingEmptySubsequences: false)
        let signature = parts[2]
        let altered = "\(parts[0]).\(parts[1]).\(signature.first == "A" ? "B" : "A")\(signature.dropFirst())"
        await #expect(throws: Problem.self) { try await authority.verify(altered) }
        try await Task.sleep(for: .milliseconds(3100))
        do {
            _ = try await authority.verify(token)
            Issue.record("an expired token verified from the cache")
        } catch let problem as Problem {
            #expect(problem.status == .unauthorized && problem.detail.contains("expired"))
        }
    }

    @Test func shortSecretsAreRefused() async {
        await #expect(throws: ConfigurationError.self) { try await TokenAuthority(secret: "short") }
    }

    @Test func databaseURLsParseAndHidePasswords() throws {
        let url = try DatabaseURL("postgres://lyceum_learning:p%40ss@127.0.0.1:5433/lyceum")
        #expect(url.user == "lyceum_learning" && url.password == "p@ss" && url.port == 5433 && url.database == "lyceum")
        #expect(!url.description.contains("p@ss"))
        #expect(try DatabaseURL(url.string).password == "p@ss")
        #expect(throws: ConfigurationError.self) { try DatabaseURL("mysql://x@y/z") }
        #expect(throws: ConfigurationError.self) { try DatabaseURL("not a url") }
    }
}
