import Foundation
import Hummingbird
import ServiceKit
import Testing

/// Drives the AI agents' records over HTTP as one role or another (a wrapper, so its helpers
/// cannot clash with other suites' extensions of the harness).
struct AgentClient: Sendable {
    let app: AIUsageHarness

    static func with(_ body: @Sendable (AgentClient) async throws -> Void) async throws {
        try await AIUsageHarness.with { app in try await body(AgentClient(app: app)) }
    }

    /// A request with a token of `role` for `user`.
    @discardableResult
    func call(_ role: Role, _ user: UUID, _ method: HTTPRequest.Method, _ uri: String, json: String? = nil) async throws
        -> (HTTPResponse.Status, [String: Any]) {
        try await app.call(method, uri, try await app.headers(role, user: user), json: json)
    }

    func get(_ role: Role, _ user: UUID, _ uri: String) async throws -> (HTTPResponse.Status, [String: Any]) {
        try await call(role, user, .get, uri)
    }

    /// As `role`, for a user nobody else is.
    func get(_ role: Role, _ uri: String) async throws -> (HTTPResponse.Status, [String: Any]) {
        try await call(role, UUID(), .get, uri)
    }

    /// Sends and expects `status`; the answer.
    @discardableResult
    func expect(_ status: HTTPResponse.Status, _ role: Role, _ user: UUID, _ method: HTTPRequest.Method, _ uri: String,
                json: String? = nil, sourceLocation: SourceLocation = #_sourceLocation) async throws -> [String: Any] {
        let (got, answer) = try await call(role, user, method, uri, json: json)
        #expect(got == status, "\(method) \(uri): \(answer)", sourceLocation: sourceLocation)
        return answer
    }

    /// The same as a user nobody else is.
    @discardableResult
    func expect(_ status: HTTPResponse.Status, _ role: Role, _ method: HTTPRequest.Method, _ uri: String, json: String? = nil,
                sourceLocation: SourceLocation = #_sourceLocation) async throws -> [String: Any] {
        try await expect(status, role, UUID(), method, uri, json: json, sourceLocation: sourceLocation)
    }

    /// A chat of `user` opened by the curator agent.
    func chat(of user: UUID, title: String? = nil) async throws -> String {
        let body = title.map { #"{"user_id": "\#(user)", "title": \#(AIUsageHarness.quoted($0))}"# } ?? #"{"user_id": "\#(user)"}"#
        return try Self.id(try await expect(.created, .service, .post, "/v1/curator/chats", json: body))
    }

    /// A message written into a chat by the curator agent.
    @discardableResult
    func message(in chat: String, _ content: String = "Как дела с модулем 3?", role: String = "assistant", extra: String = "") async throws
        -> [String: Any] {
        try await expect(.created, .service, .post, "/v1/curator/chats/\(chat)/messages",
                         json: #"{"role": "\#(role)", "content": \#(AIUsageHarness.quoted(content))\#(extra)}"#)
    }

    /// An active mentor session of `student` opened by the mentor agent.
    func session(of student: UUID, type: String = "motivation") async throws -> String {
        try Self.id(try await expect(.created, .service, .post, "/v1/mentor/sessions",
                                     json: #"{"student_id": "\#(student)", "session_type": "\#(type)"}"#))
    }

    /// A pending mentor task about `student`.
    func task(about student: UUID, priority: String = "high") async throws -> String {
        try Self.id(try await expect(.created, .service, .post, "/v1/mentor/tasks", json: """
            {"triggered_by": "ai_curator_alert", "student_id": "\(student)", "task_type": "check_in",
             "description": "Learner seems stuck on module 3", "priority": "\(priority)"}
            """))
    }

    static func reportBody(type: String = "overall_platform", target: UUID? = nil) -> String {
        """
        {"report_type": "\(type)", \(target.map { #""target_student_id": "\#($0)","# } ?? "")
         "period_start": "2026-01-01T00:00:00Z", "period_end": "2026-02-01T00:00:00Z",
         "raw_data": {"chats": 12}, "analysis_results": {"engagement": "high"}}
        """
    }

    /// Every item of a listing, following `next_cursor` page by page (`limit` each).
    func all(_ role: Role, _ user: UUID, _ uri: String, limit: Int, sourceLocation: SourceLocation = #_sourceLocation) async throws
        -> [[String: Any]] {
        var items: [[String: Any]] = []
        var cursor: String?
        let separator = uri.contains("?") ? "&" : "?"
        for _ in 0..<100 {
            let page = try await expect(.ok, role, user, .get, "\(uri)\(separator)limit=\(limit)\(cursor.map { "&cursor=\($0)" } ?? "")",
                                        sourceLocation: sourceLocation)
            let got = Self.items(page)
            #expect(got.count <= limit, sourceLocation: sourceLocation)
            items += got
            cursor = page["next_cursor"] as? String
            if cursor == nil { return items }
            #expect(got.count == limit, "only a full page has a next page", sourceLocation: sourceLocation)
        }
        Issue.record("paging did not end", sourceLocation: sourceLocation)
        return items
    }

    static func items(_ answer: [String: Any]) -> [[String: Any]] { answer["items"] as? [[String: Any]] ?? [] }

    static func ids(_ answer: [String: Any]) -> [String] { items(answer).compactMap { $0["id"] as? String } }

    static func id(_ answer: [String: Any]) throws -> String { try #require(answer["id"] as? String, "\(answer)") }

    static func fields(_ answer: [String: Any]) -> [String] { AIUsageHarness.fields(answer) }

    static func same(_ a: Any?, _ b: UUID) -> Bool { (a as? String)?.lowercased() == b.uuidString.lowercased() }
}
