import Contracts
import Foundation
import Gamification
import Hummingbird
import HummingbirdTesting
import Learning
import LyceumTestSupport
import PostgresNIO
import ServiceKit
import Synchronization
import Testing

/// Gamification on a fresh database, fed by learning's real relay and bus: `emit` puts a learning
/// event in learning's outbox (as learning would, with any `occurredAt`), and `settled` waits
/// until gamification has applied everything emitted so far.
final class GamificationHarness: Sendable {
    let client: ConnectionPerRequestClient
    let database: PostgresClient
    let authority: TokenAuthority
    private let emitted = Mutex(0)

    private init(client: ConnectionPerRequestClient, database: PostgresClient, authority: TokenAuthority) {
        self.client = client
        self.database = database
        self.authority = authority
    }

    /// `settings` are extra configuration values, e.g. `["LYCEUM_TIMEZONE": "Asia/Almaty"]`. Tops of
    /// leaderboards are not cached unless a test asks (`GAMIFICATION_LEADERBOARD_CACHE_MS`): the
    /// tests read a board right after changing it.
    static func with(settings: [String: String] = [:], _ body: @Sendable (GamificationHarness) async throws -> Void) async throws {
        try await TestPostgres.withDatabase { url in
            let configuration = try TestConfiguration(database: url, extra: ["GAMIFICATION_LEADERBOARD_CACHE_MS": "0"].merging(settings) { $1 })
            let learning = try await Learning.buildApplication(reader: configuration.reader)
            let gamification = try await Gamification.buildApplication(reader: configuration.reader)
            let authority = try await TokenAuthority(secret: "test-secret-that-is-long-enough-for-hs256")
            try await learning.test(.live) { _ in
                try await gamification.test(.live) { client in
                    try await TestPostgres.withClient(url) { database in
                        try await body(GamificationHarness(client: ConnectionPerRequestClient(port: client.port), database: database, authority: authority))
                    }
                }
            }
        }
    }

    func headers(_ role: Role, user: UUID = UUID()) async throws -> HTTPFields {
        [.authorization: "Bearer \(try await authority.issue(userID: user, role: role, ttl: .seconds(600)))"]
    }

    /// Sends a request to gamification; the status and the decoded JSON object.
    @discardableResult
    func call(_ method: HTTPRequest.Method, _ uri: String, _ headers: HTTPFields = [:], json: String? = nil) async throws -> (HTTPResponse.Status, [String: Any]) {
        try await client.execute(uri: uri, method: method, headers: headers, body: json.map { ByteBuffer(string: $0) }) { response in
            let object = (try? JSONSerialization.jsonObject(with: Data(buffer: response.body))) as? [String: Any] ?? [:]
            return (response.status, object)
        }
    }

    /// Writes `payload` to learning's outbox as an event that happened at `occurredAt`; its id.
    @discardableResult
    func emit<P: EventPayload>(_ payload: P, user: UUID, at occurredAt: Date = Date()) async throws -> UUID {
        let id = try await database.withConnection { connection in
            try await Outbox(schema: "learning").append(payload, .about(user: user, actor: user, at: occurredAt), on: connection,
                                                        logger: TestPostgres.logger)
        }
        emitted.withLock { $0 += 1 }
        return id
    }

    /// A lesson completion by `user` at `occurredAt` (the most common activity).
    @discardableResult
    func completeLesson(_ user: UUID, at occurredAt: Date = Date(), course: UUID = UUID(), xpReward: Int? = nil) async throws -> UUID {
        try await emit(LessonCompleted(userId: user, lessonId: UUID(), courseId: course, xpReward: xpReward, completedAt: occurredAt),
                       user: user, at: occurredAt)
    }

    /// Waits until gamification has applied every event emitted so far.
    func settled(timeout: Duration = .seconds(120)) async throws {
        let expected = emitted.withLock { $0 }
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if try await count("SELECT count(*)::int FROM gamification.inbox WHERE source = 'learning'") >= expected { return }
            try await Task.sleep(for: .milliseconds(50))
        }
        Issue.record("gamification applied fewer than the \(expected) events emitted within \(timeout)")
    }

    func count(_ sql: String) async throws -> Int {
        for try await value in try await database.query(PostgresQuery(unsafeSQL: sql)).decode(Int.self) { return value }
        return 0
    }
}
