import Contracts
import Foundation
import Hummingbird
import LyceumTestSupport
import PostgresNIO
import ServiceKit
import Testing

/// Helpers of the tripwire and sales tests: grants by a manager, reads as a manager or an admin,
/// and the stand-in learning service's events.
extension LeadsHarness {
    static func grantBody(_ email: String, _ name: String, price: String = "5000", userId: UUID? = nil) -> String {
        #"{"email": \#(quoted(email)), "full_name": \#(quoted(name)), "price": \#(price)\#(userId.map { #", "user_id": "\#($0)""# } ?? "")}"#
    }

    /// A grant by `manager` (a sales manager's token); the status and the answer.
    @discardableResult
    func grant(by manager: UUID, _ email: String, _ name: String, price: String = "5000", userId: UUID? = nil) async throws
        -> (HTTPResponse.Status, [String: Any]) {
        try await call(.post, "/v1/tripwire/students", try await headers(.salesManager, user: manager),
                       json: Self.grantBody(email, name, price: price, userId: userId))
    }

    /// A new student of `manager`: their `student` object.
    func student(of manager: UUID, _ email: String, _ name: String = "Айгерим Нурланова", price: String = "5000") async throws -> [String: Any] {
        let (status, answer) = try await grant(by: manager, email, name, price: price)
        #expect(status == .created, "\(answer)")
        return try #require(answer["student"] as? [String: Any], "\(answer)")
    }

    func asManager(_ manager: UUID, _ method: HTTPRequest.Method, _ uri: String, json: String? = nil) async throws
        -> (HTTPResponse.Status, [String: Any]) {
        try await call(method, uri, try await headers(.salesManager, user: manager), json: json)
    }

    func asManager(_ manager: UUID, _ uri: String) async throws -> (HTTPResponse.Status, [String: Any]) {
        try await asManager(manager, .get, uri)
    }

    func asAdmin(_ method: HTTPRequest.Method, _ uri: String, json: String? = nil) async throws -> (HTTPResponse.Status, [String: Any]) {
        try await call(method, uri, try await headers(.admin), json: json)
    }

    func asAdmin(_ uri: String) async throws -> (HTTPResponse.Status, [String: Any]) {
        try await asAdmin(.get, uri)
    }

    static func items(_ answer: [String: Any]) -> [[String: Any]] { answer["items"] as? [[String: Any]] ?? [] }

    func text(_ sql: String) async throws -> String? {
        try await database.query(PostgresQuery(unsafeSQL: sql)).decode(String?.self).firstElement() ?? nil
    }

    /// Writes `payload` into the stand-in learning service's outbox, as learning would.
    @discardableResult
    func emitFromLearning<P: EventPayload>(_ payload: P, user: UUID) async throws -> UUID {
        try await database.withConnection { connection in
            try await Outbox(schema: "learning").append(payload, .about(user: user, actor: user), on: connection, logger: TestPostgres.logger)
        }
    }

    /// Waits until the leads service has applied every event the stand-in learning service holds.
    func learningSettled(timeout: Duration = .seconds(120)) async throws {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            let emitted = try await count("SELECT count(*)::int FROM learning.outbox")
            let applied = try await count("SELECT count(*)::int FROM leads.inbox WHERE source = 'learning'")
            if applied >= emitted, try await count("SELECT last_sequence::int FROM leads.inbox_cursors WHERE source = 'learning'") >= emitted {
                return
            }
            try await Task.sleep(for: .milliseconds(50))
        }
        Issue.record("the leads service applied fewer learning events than were emitted within \(timeout)")
    }
}
