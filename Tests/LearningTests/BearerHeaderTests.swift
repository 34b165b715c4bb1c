import Foundation
import HTTPTypes
import Testing

/// `AuthenticationMiddleware` reads `Bearer <token>`: spaces around the token are forgiven,
/// anything else is a 401 problem, never a 500.
@Suite struct BearerHeaderTests {
    @Test func spacesAroundTheTokenAreForgivenAndOtherSchemesRefused() async throws {
        try await LearningHarness.with { app in
            let admin = try await app.headers(.admin)
            let token = try #require(admin[.authorization]?.dropFirst("Bearer ".count))
            let drafts = "/v1/courses?status=draft"
            #expect(try await app.call(.get, drafts, [.authorization: "Bearer    \(token)\t "]).0 == .ok)
            #expect(try await app.call(.get, drafts, [.authorization: "bearer \(token)"]).0 == .ok)
            for header in ["Bearer", "Basic \(token)", "Bearer     ", "Bearer \(token)x"] {
                let (status, problem) = try await app.call(.get, drafts, [.authorization: header])
                #expect(status == .unauthorized && problem["detail"] is String, "\(header): \(problem)")
            }
        }
    }
}
