import Foundation
import Hummingbird
import HummingbirdTesting
import Leads
import LyceumTestSupport
import PostgresNIO
import ServiceKit
import Testing

/// The leads service on a fresh database, driven over real HTTP. The capture rate limit is high
/// unless a test sets its own (`extra`), since every test request comes from 127.0.0.1.
struct LeadsHarness: Sendable {
    let client: ConnectionPerRequestClient
    let database: PostgresClient
    let authority: TokenAuthority

    /// The course `LEADS_TRIPWIRE_COURSE` names in tests.
    static let tripwireCourse = UUID(uuidString: "7e1f0000-0000-4000-8000-00000000c0de")!

    /// `learning`: also a stand-in learning service, whose outbox `emitFromLearning` writes and
    /// whose events the leads service consumes.
    static func with(_ extra: [String: String] = [:], learning: Bool = false,
                     _ body: @Sendable (LeadsHarness) async throws -> Void) async throws {
        try await TestPostgres.withDatabase { url in
            let defaults = ["LEADS_CAPTURE_RATE_PER_MINUTE": "100000", "LEADS_TRIPWIRE_COURSE": tripwireCourse.uuidString]
            let configuration = try TestConfiguration(database: url, extra: defaults.merging(extra) { _, new in new })
            let app = try await buildApplication(reader: configuration.reader)
            let authority = try await TokenAuthority(secret: "test-secret-that-is-long-enough-for-hs256")
            try await StandInProducer.whileLive(learning ? .learning : nil, reader: configuration.reader) {
                try await app.test(.live) { client in
                    try await TestPostgres.withClient(url) { database in
                        try await body(LeadsHarness(client: ConnectionPerRequestClient(port: client.port), database: database, authority: authority))
                    }
                }
            }
        }
    }

    func headers(_ role: Role, user: UUID = UUID()) async throws -> HTTPFields {
        [.authorization: "Bearer \(try await authority.issue(userID: user, role: role, ttl: .seconds(600)))"]
    }

    /// Sends a request and returns the status, the headers and the decoded JSON object.
    @discardableResult
    func call(_ method: HTTPRequest.Method, _ uri: String, _ headers: HTTPFields = [:], json: String? = nil) async throws -> (HTTPResponse.Status, [String: Any]) {
        let (status, _, object) = try await exchange(method, uri, headers, json: json)
        return (status, object)
    }

    func exchange(_ method: HTTPRequest.Method, _ uri: String, _ headers: HTTPFields = [:], json: String? = nil) async throws
        -> (HTTPResponse.Status, HTTPFields, [String: Any]) {
        try await client.execute(uri: uri, method: method, headers: headers, body: json.map { ByteBuffer(string: $0) }) { response in
            let object = (try? JSONSerialization.jsonObject(with: Data(buffer: response.body))) as? [String: Any] ?? [:]
            return (response.status, response.headers, object)
        }
    }

    func count(_ sql: String) async throws -> Int {
        for try await value in try await database.query(PostgresQuery(unsafeSQL: sql)).decode(Int.self) { return value }
        return 0
    }

    func outboxCount(_ type: String) async throws -> Int {
        try await count("SELECT count(*)::int FROM leads.outbox WHERE type = '\(type)'")
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
