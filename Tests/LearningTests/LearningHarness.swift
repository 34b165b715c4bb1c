import Foundation
import Hummingbird
import HummingbirdTesting
import Learning
import LyceumTestSupport
import PostgresNIO
import ServiceKit
import Testing

/// The learning service on a fresh database, driven over real HTTP.
struct LearningHarness: Sendable {
    let client: ConnectionPerRequestClient
    let database: PostgresClient
    let authority: TokenAuthority

    /// `leads`: also a stand-in leads service, whose outbox `emitFromLeads` writes and whose
    /// events the learning service consumes.
    static func with(leads: Bool = false, _ body: @Sendable (LearningHarness) async throws -> Void) async throws {
        try await TestPostgres.withDatabase { url in
            let configuration = try TestConfiguration(database: url)
            let app = try await buildApplication(reader: configuration.reader)
            let authority = try await TokenAuthority(secret: "test-secret-that-is-long-enough-for-hs256")
            try await StandInProducer.whileLive(leads ? .leads : nil, reader: configuration.reader) {
                try await app.test(.live) { client in
                    try await TestPostgres.withClient(url) { database in
                        try await body(LearningHarness(client: ConnectionPerRequestClient(port: client.port), database: database, authority: authority))
                    }
                }
            }
        }
    }

    func headers(_ role: Role, user: UUID = UUID()) async throws -> HTTPFields {
        [.authorization: "Bearer \(try await authority.issue(userID: user, role: role, ttl: .seconds(600)))"]
    }

    /// Sends a request and returns the status and the decoded JSON object (or array, as `items`).
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
}
