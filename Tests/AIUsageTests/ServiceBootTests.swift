import Foundation
import Testing

extension AIUsageSuites {
/// The service boots on a fresh database with its schema migrated.
@Suite struct ServiceBootTests {
    @Test func bootsWithItsSchema() async throws {
        try await AIUsageHarness.with { app in
            let (status, _) = try await app.call(.get, "/health")
            #expect(status == .ok)
            #expect(try await app.count("SELECT count(*)::int FROM information_schema.tables WHERE table_schema = 'ai_usage' AND table_name = 'usage_records'") == 1)
        }
    }
}
}
