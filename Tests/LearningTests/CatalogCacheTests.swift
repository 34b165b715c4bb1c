import Foundation
import Hummingbird
import HummingbirdTesting
import Learning
import LyceumTestSupport
import ServiceKit
import Testing

/// The public catalog is served from memory, and no replica serves it stale after a write.
@Suite struct CatalogCacheTests {
    func titles(_ client: some TestClientProtocol) async throws -> [String] {
        try await ConnectionPerRequestClient(port: client.port).execute(uri: "/v1/courses", method: .get) { response in
            let page = try JSONSerialization.jsonObject(with: Data(buffer: response.body)) as? [String: Any]
            return ((page?["items"] as? [[String: Any]]) ?? []).compactMap { $0["title"] as? String }
        }
    }

    @Test func aWriteOnOneReplicaClearsEveryReplicasCache() async throws {
        try await TestPostgres.withDatabase { url in
            let configuration = try TestConfiguration(database: url)
            let replicaA = try await buildApplication(reader: configuration.reader)
            let replicaB = try await buildApplication(reader: try TestConfiguration(database: url).reader)
            let authority = try await TokenAuthority(secret: "test-secret-that-is-long-enough-for-hs256")
            let admin: HTTPFields = [.authorization: "Bearer \(try await authority.issue(userID: UUID(), role: .admin, ttl: .seconds(600)))"]
            try await replicaA.test(.live) { a in
                try await replicaB.test(.live) { b in
                    func publish(_ title: String, on live: some TestClientProtocol) async throws {
                        let client = ConnectionPerRequestClient(port: live.port)
                        let id = try await client.execute(uri: "/v1/courses", method: .post, headers: admin,
                                                          body: ByteBuffer(string: #"{"title": "\#(title)"}"#)) { response in
                            (try JSONSerialization.jsonObject(with: Data(buffer: response.body)) as? [String: Any])?["id"] as? String ?? ""
                        }
                        let module = try await client.execute(uri: "/v1/courses/\(id)/modules", method: .post, headers: admin,
                                                              body: ByteBuffer(string: #"{"title": "M"}"#)) { response in
                            (try JSONSerialization.jsonObject(with: Data(buffer: response.body)) as? [String: Any])?["id"] as? String ?? ""
                        }
                        _ = try await client.execute(uri: "/v1/modules/\(module)/lessons", method: .post, headers: admin,
                                                     body: ByteBuffer(string: #"{"title": "L", "content_type": "text"}"#)) { _ in }
                        let status = try await client.execute(uri: "/v1/courses/\(id)/publish", method: .post, headers: admin) { $0.status }
                        #expect(status == .ok)
                    }
                    // Both replicas LISTEN (they cache nothing before), then cache the empty listing.
                    try await Task.sleep(for: .seconds(1))
                    #expect(try await titles(a) == [])
                    #expect(try await titles(b) == [])
                    try await publish("Первый", on: a)
                    #expect(try await titles(a) == ["Первый"])   // the writer's own cache was cleared at once
                    #expect(try await LessonWait.until(.seconds(5)) { try await titles(b) == ["Первый"] })
                    #expect(try await titles(b) == ["Первый"])  // now served from B's cache
                    try await publish("دوم", on: b)
                    #expect(try await LessonWait.until(.seconds(5)) { try await titles(a) == ["دوم", "Первый"] })
                }
            }
        }
    }
}

/// Polls a condition (a notification between processes takes a moment).
enum LessonWait {
    static func until(_ timeout: Duration, _ condition: () async throws -> Bool) async throws -> Bool {
        let end = ContinuousClock.now + timeout
        while ContinuousClock.now < end {
            if try await condition() { return true }
            try await Task.sleep(for: .milliseconds(50))
        }
        return try await condition()
    }
}
