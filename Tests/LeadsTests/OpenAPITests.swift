import Foundation
import Testing

/// `/openapi.json` documents every leads endpoint.
@Suite struct OpenAPITests {
    @Test func theDocumentNamesEveryEndpoint() async throws {
        try await LeadsHarness.with { app in
            let (status, document) = try await app.call(.get, "/openapi.json")
            #expect(status == .ok)
            let paths = try #require(document["paths"] as? [String: [String: Any]])
            for (path, method) in [("/v1/leads", "post"), ("/v1/leads", "get"), ("/v1/leads/{lead_id}", "get"),
                                   ("/v1/leads/{lead_id}/journey", "post"), ("/v1/leads/merge", "post"), ("/v1/funnel", "get"),
                                   ("/v1/leads/{lead_id}/notifications", "post"), ("/v1/leads/{lead_id}/notifications", "get"),
                                   ("/v1/notifications/{notification_id}/cancel", "post"), ("/v1/t/{token}", "get"),
                                   ("/v1/leads/{lead_id}/crm/sync", "post"), ("/v1/crm/sync", "get")] {
                #expect(paths[path]?[method] != nil, "\(method) \(path)")
            }
        }
    }
}
