import Foundation
import Testing

/// `/openapi.json` documents every leads endpoint.
@Suite struct OpenAPITests {
    @Test func theDocumentNamesEveryEndpoint() async throws {
        try await LeadsHarness.with { app in
            let (status, document) = try await app.call(.get, "/openapi.json")
            #expect(status == .ok)
            let paths = try #require(document["paths"] as? [String: [String: Any]])
            let schemas = try #require((document["components"] as? [String: Any])?["schemas"] as? [String: Any])
            for schema in ["GrantInput", "TripwireStudent", "GrantResult", "ManagerStats", "LeaderboardRow", "ChartDay", "Activity"] {
                #expect(schemas[schema] != nil, "\(schema)")
            }
            for (path, method) in [("/v1/leads", "post"), ("/v1/leads", "get"), ("/v1/leads/{lead_id}", "get"),
                                   ("/v1/leads/{lead_id}/journey", "post"), ("/v1/leads/merge", "post"), ("/v1/funnel", "get"),
                                   ("/v1/leads/{lead_id}/notifications", "post"), ("/v1/leads/{lead_id}/notifications", "get"),
                                   ("/v1/notifications/{notification_id}/cancel", "post"), ("/v1/t/{token}", "get"),
                                   ("/v1/leads/{lead_id}/crm/sync", "post"), ("/v1/crm/sync", "get"),
                                   ("/v1/tripwire/students", "post"), ("/v1/tripwire/students", "get"),
                                   ("/v1/tripwire/students/{student_id}", "get"), ("/v1/tripwire/students/{student_id}", "patch"),
                                   ("/v1/sales/managers/{manager_id}/stats", "get"), ("/v1/sales/managers/{manager_id}/activity", "get"),
                                   ("/v1/sales/leaderboard", "get"), ("/v1/sales/chart", "get")] {
                #expect(paths[path]?[method] != nil, "\(method) \(path)")
            }
        }
    }
}
