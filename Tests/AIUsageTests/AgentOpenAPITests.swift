import Foundation
import Testing

extension AIUsageSuites {
/// `/openapi.json` documents every agent endpoint and its schemas.
@Suite struct AgentOpenAPITests {
    static let operations: [(String, String)] = [
        ("/v1/curator/chats", "post"), ("/v1/curator/chats", "get"), ("/v1/curator/chats/{chat_id}", "get"),
        ("/v1/curator/chats/{chat_id}/messages", "post"), ("/v1/curator/chats/{chat_id}/messages", "get"),
        ("/v1/curator/problems", "get"),
        ("/v1/mentor/sessions", "post"), ("/v1/mentor/sessions", "get"), ("/v1/mentor/sessions/{session_id}", "get"),
        ("/v1/mentor/sessions/{session_id}", "patch"), ("/v1/mentor/sessions/{session_id}/messages", "post"),
        ("/v1/mentor/sessions/{session_id}/messages", "get"),
        ("/v1/mentor/tasks", "post"), ("/v1/mentor/tasks", "get"), ("/v1/mentor/tasks/{task_id}", "patch"),
        ("/v1/analyst/reports", "post"), ("/v1/analyst/reports", "get"), ("/v1/analyst/reports/{report_id}", "get"),
    ]

    @Test func theDocumentNamesEveryAgentEndpointAndSchema() async throws {
        try await AgentClient.with { agents in
            let (status, document) = try await agents.app.call(.get, "/openapi.json")
            #expect(status == .ok)
            let paths = try #require(document["paths"] as? [String: [String: Any]])
            for (path, method) in Self.operations {
                let operation = paths[path]?[method] as? [String: Any]
                #expect(operation != nil, "\(method) \(path)")
                #expect(operation?["summary"] as? String != nil, "\(method) \(path)")
            }
            #expect(paths["/health"] != nil, "the platform paths are still there")
            let schemas = try #require((document["components"] as? [String: Any])?["schemas"] as? [String: Any])
            for schema in ["CuratorChatInput", "CuratorChat", "CuratorMessageInput", "CuratorMessage", "CuratorProblem",
                           "MentorSessionInput", "MentorSessionChange", "MentorSession", "MentorMessageInput", "MentorMessage",
                           "MentorTaskInput", "MentorTaskChange", "MentorTask", "AnalystReportInput", "AnalystReport", "Problem"] {
                #expect(schemas[schema] != nil, "\(schema)")
            }
            // Every $ref points at a schema the document has.
            let text = String(decoding: try JSONSerialization.data(withJSONObject: document), as: UTF8.self).replacingOccurrences(of: "\\/", with: "/")
            let refs = text.matches(of: /#\/components\/schemas\/([A-Za-z]+)/).map { String($0.output.1) }
            #expect(!refs.isEmpty)
            for ref in Set(refs) { #expect(schemas[ref] != nil, "$ref \(ref)") }
        }
    }

    /// The routes the document names answer (not the framework's 404 for an unknown path).
    @Test func everyDocumentedOperationIsRouted() async throws {
        try await AgentClient.with { agents in
            for (path, method) in Self.operations {
                let uri = path.replacingOccurrences(of: #"\{[a-z_]+\}"#, with: UUID().uuidString, options: .regularExpression)
                let (status, _) = try await agents.app.call(.init(rawValue: method.uppercased())!, uri)
                #expect(status == .unauthorized, "\(method) \(path) without a token")
            }
        }
    }
}
}
