import Contracts
import Foundation
import Hummingbird
import HummingbirdTesting
import Learning
import LyceumTestSupport
import PostgresNIO
import ServiceKit
import Testing

/// `POST /v1/lessons/{id}/complete` against a real database, through the full HTTP stack.
@Suite struct LessonCompletionTests {
    static let course = UUID()
    static let lesson = UUID()
    static let draftLesson = UUID()

    /// Runs the learning service on a fresh database holding one published and one draft lesson.
    func withLearning(_ body: @escaping @Sendable (ConnectionPerRequestClient, PostgresClient, TokenAuthority) async throws -> Void) async throws {
        try await LearningHarness.with { app in
            try await Self.seed(app.database)
            try await body(app.client, app.database, app.authority)
        }
    }

    static func seed(_ database: PostgresClient) async throws {
        let draftCourse = UUID()
        let module = UUID(), draftModule = UUID()
        try await database.query("INSERT INTO learning.courses (id, title, status, published_at) VALUES (\(course), 'Курс · دوره', 'published', now()), (\(draftCourse), 'Draft', 'draft', NULL)")
        try await database.query("INSERT INTO learning.modules (id, course_id, title, position) VALUES (\(module), \(course), 'M', 0), (\(draftModule), \(draftCourse), 'D', 0)")
        try await database.query("""
            INSERT INTO learning.lessons (id, course_id, module_id, title, position, xp_reward)
            VALUES (\(lesson), \(course), \(module), 'Урок', 0, 75), (\(draftLesson), \(draftCourse), \(draftModule), 'Draft', 0, NULL)
            """)
    }

    static func count(_ table: String, _ database: PostgresClient) async throws -> Int {
        var total = 0
        for try await value in try await database.query(PostgresQuery(unsafeSQL: "SELECT count(*)::int FROM learning.\(table)")).decode(Int.self) {
            total = value
        }
        return total
    }

    func token(_ authority: TokenAuthority, _ role: Role, user: UUID = UUID(), ttl: Duration = .seconds(600)) async throws -> HTTPFields {
        [.authorization: "Bearer \(try await authority.issue(userID: user, role: role, ttl: ttl))"]
    }

    @Test func completingTwiceRecordsOnceAndEmitsOneEvent() async throws {
        try await withLearning { client, database, authority in
            let student = UUID()
            let headers = try await token(authority, .student, user: student)
            for expectedNew in [true, false] {
                try await client.execute(uri: "/v1/lessons/\(Self.lesson)/complete", method: .post, headers: headers,
                                         body: ByteBuffer(string: #"{"time_spent_seconds": 120}"#)) { response in
                    #expect(response.status == .ok)
                    let body = try JSONSerialization.jsonObject(with: Data(buffer: response.body)) as? [String: Any]
                    #expect(body?["newly_completed"] as? Bool == expectedNew)
                    #expect(body?["status"] as? String == "completed")
                    #expect((body?["user_id"] as? String)?.lowercased() == student.uuidString.lowercased())
                }
            }
            #expect(try await Self.count("lesson_progress", database) == 1)
            #expect(try await Self.count("outbox WHERE type = 'learning.lesson_completed'", database) == 1)
            var payload = ""
            for try await text in try await database.query("SELECT payload::text FROM learning.outbox WHERE type = 'learning.lesson_completed'").decode(String.self) { payload = text }
            let event = try LyceumJSON.decoder().decode(LessonCompleted.self, from: Data(payload.utf8))
            #expect(event.userId == student && event.lessonId == Self.lesson && event.xpReward == 75)
        }
    }

    @Test func concurrentDuplicatesEmitExactlyOneEvent() async throws {
        try await withLearning { client, database, authority in
            let headers = try await token(authority, .student)
            try await withThrowingTaskGroup(of: Void.self) { group in
                for _ in 0..<12 {
                    group.addTask {
                        try await client.execute(uri: "/v1/lessons/\(Self.lesson)/complete", method: .post, headers: headers) { response in
                            #expect(response.status == .ok)
                        }
                    }
                }
                try await group.waitForAll()
            }
            #expect(try await Self.count("outbox WHERE type = 'learning.lesson_completed'", database) == 1)
        }
    }

    @Test func badRequestsAreProblemsAndWriteNothing() async throws {
        try await withLearning { client, database, authority in
            let student = try await token(authority, .student)
            let cases: [(String, HTTPFields, String?, HTTPResponse.Status, String?)] = [
                ("/v1/lessons/\(Self.lesson)/complete", [:], nil, .unauthorized, nil),
                ("/v1/lessons/\(Self.lesson)/complete", [.authorization: "Bearer not.a.jwt"], nil, .unauthorized, nil),
                ("/v1/lessons/\(Self.lesson)/complete", [.authorization: "Basic abc"], nil, .unauthorized, nil),
                ("/v1/lessons/\(Self.lesson)/complete", try await token(authority, .student, ttl: .seconds(-60)), nil, .unauthorized, nil),
                ("/v1/lessons/\(Self.lesson)/complete", try await token(authority, .salesManager), nil, .forbidden, nil),
                ("/v1/lessons/not-a-uuid/complete", student, nil, .badRequest, "lesson_id"),
                ("/v1/lessons/\(UUID())/complete", student, nil, .notFound, nil),
                ("/v1/lessons/\(Self.draftLesson)/complete", student, nil, .notFound, nil),
                ("/v1/lessons/\(Self.lesson)/complete", student, "{not json", .badRequest, "body"),
                ("/v1/lessons/\(Self.lesson)/complete", student, "[1,2]", .badRequest, "body"),
                ("/v1/lessons/\(Self.lesson)/complete", student, #"{"time_spent_seconds":"ten"}"#, .badRequest, "time_spent_seconds"),
                ("/v1/lessons/\(Self.lesson)/complete", student, #"{"time_spent_seconds":-5}"#, .badRequest, "time_spent_seconds"),
                ("/v1/lessons/\(Self.lesson)/complete", student, String(repeating: " ", count: 2_000_000), .contentTooLarge, nil),
            ]
            for (uri, headers, body, status, field) in cases {
                try await client.execute(uri: uri, method: .post, headers: headers, body: body.map { ByteBuffer(string: $0) }) { response in
                    #expect(response.status == status, "\(uri) \(body?.prefix(30) ?? "") -> \(response.status)")
                    #expect(response.headers[.contentType] == "application/problem+json")
                    let problem = try JSONSerialization.jsonObject(with: Data(buffer: response.body)) as? [String: Any]
                    #expect(problem?["status"] as? Int == Int(status.code))
                    #expect((problem?["detail"] as? String)?.isEmpty == false)
                    if let field {
                        let errors = problem?["errors"] as? [[String: String]]
                        #expect(errors?.first?["field"] == field, "\(uri): \(String(describing: problem))")
                    }
                }
            }
            #expect(try await Self.count("lesson_progress", database) == 0)
            #expect(try await Self.count("outbox", database) == 0)
        }
    }

    @Test func platformEndpointsAndRequestIDs() async throws {
        try await withLearning { client, _, _ in
            try await client.execute(uri: "/health", method: .get, headers: [.requestID: "trace-123"]) { response in
                #expect(response.status == .ok)
                #expect(response.headers[.requestID] == "trace-123")
            }
            // Ready once the database answers within /ready's 2 s: on a loaded CI machine a first
            // probe can wait longer than that for a pooled connection.
            var ready: (HTTPResponse.Status, String) = (.serviceUnavailable, "")
            let deadline = ContinuousClock.now + .seconds(60)
            while ContinuousClock.now < deadline {
                ready = try await client.execute(uri: "/ready", method: .get) { ($0.status, String(buffer: $0.body)) }
                if ready.0 == .ok { break }
                try await Task.sleep(for: .milliseconds(200))
            }
            #expect(ready.0 == .ok, "\(ready.1)")
            try await client.execute(uri: "/nowhere", method: .get) { response in
                #expect(response.status == .notFound)
                #expect(response.headers[.contentType] == "application/problem+json")
                #expect(response.headers[.requestID]?.isEmpty == false)
            }
            try await client.execute(uri: "/metrics", method: .get) { response in
                #expect(String(buffer: response.body).contains("http_requests_total"))
            }
            var documented: [String: [String]] = [:]
            try await client.execute(uri: "/openapi.json", method: .get) { response in
                let document = try JSONSerialization.jsonObject(with: Data(buffer: response.body)) as? [String: Any]
                for (path, operations) in (document?["paths"] as? [String: [String: Any]]) ?? [:] { documented[path] = Array(operations.keys) }
            }
            #expect(documented["/v1/lessons/{lesson_id}/complete"] == ["post"])
            #expect(documented["/v1/courses/{course_id}/modules/order"] == ["put"])
            for (path, methods) in documented {
                let concrete = path.replacingOccurrences(of: #"\{[a-z_]+\}"#, with: UUID().uuidString, options: .regularExpression)
                for method in methods {
                    try await client.execute(uri: concrete, method: HTTPRequest.Method(method.uppercased())!) { response in
                        // The router's own 404 and 405 say "no such route"; a handler's 404 says "no such thing".
                        let problem = try? JSONSerialization.jsonObject(with: Data(buffer: response.body)) as? [String: Any]
                        let unrouted = response.status == .methodNotAllowed || (problem?["type"] as? String)?.hasSuffix("/http-404") == true
                        #expect(!unrouted, "documented \(method) \(path) is not routed")
                    }
                }
            }
        }
    }
}
