import AIUsage
import Foundation
import Hummingbird
import HummingbirdTesting
import LyceumTestSupport
import PostgresNIO
import ServiceKit
import Testing

/// The ai-usage service on a fresh database, driven over real HTTP.
struct AIUsageHarness: Sendable {
    let client: ConnectionPerRequestClient
    let database: PostgresClient
    let authority: TokenAuthority
    /// Where the service publishes its events (ZeroMQ PUB).
    let busEndpoint: String

    static func with(_ extra: [String: String] = [:], _ body: @Sendable (AIUsageHarness) async throws -> Void) async throws {
        try await TestPostgres.withDatabase { url in
            let configuration = try TestConfiguration(database: url, extra: extra)
            let endpoint = configuration.values["AI_USAGE_BUS_PUBLISH"] ?? ""
            let app = try await buildApplication(reader: configuration.reader)
            let authority = try await TokenAuthority(secret: "test-secret-that-is-long-enough-for-hs256")
            try await app.test(.live) { client in
                try await TestPostgres.withClient(url) { database in
                    try await body(AIUsageHarness(client: ConnectionPerRequestClient(port: client.port), database: database, authority: authority,
                                                  busEndpoint: endpoint))
                }
            }
        }
    }

    func headers(_ role: Role, user: UUID = UUID()) async throws -> HTTPFields {
        [.authorization: "Bearer \(try await authority.issue(userID: user, role: role, ttl: .seconds(600)))"]
    }

    /// Sends a request and returns the status and the decoded JSON object.
    @discardableResult
    func call(_ method: HTTPRequest.Method, _ uri: String, _ headers: HTTPFields = [:], json: String? = nil) async throws -> (HTTPResponse.Status, [String: Any]) {
        try await client.execute(uri: uri, method: method, headers: headers, body: json.map { ByteBuffer(string: $0) }) { response in
            let object = (try? JSONSerialization.jsonObject(with: Data(buffer: response.body))) as? [String: Any] ?? [:]
            return (response.status, object)
        }
    }

    func count(_ sql: String) async throws -> Int {
        for try await value in try await database.query(PostgresQuery(unsafeSQL: sql)).decode(Int.self) { return value }
        return 0
    }

    func outboxCount(_ type: String) async throws -> Int {
        try await count("SELECT count(*)::int FROM ai_usage.outbox WHERE type = '\(type)'")
    }

    /// The fields a problem names.
    static func fields(_ problem: [String: Any]) -> [String] {
        (problem["errors"] as? [[String: Any]] ?? []).compactMap { $0["field"] as? String }
    }

    /// A JSON string literal of `text`.
    static func quoted(_ text: String) -> String {
        String(decoding: try! JSONSerialization.data(withJSONObject: text, options: .fragmentsAllowed), as: UTF8.self)
    }
}
