import Contracts
import Foundation
import Gamification
import Hummingbird
import HummingbirdTesting
import Learning
import LyceumTestSupport
import PostgresNIO
import ServiceKit
import Testing

/// The vertical slice in one process: learning's outbox -> ZeroMQ -> gamification's inbox and ledger.
@Suite struct XPFromLessonEventsTests {
    let authority: TokenAuthority

    init() async throws {
        authority = try await TokenAuthority(secret: "test-secret-that-is-long-enough-for-hs256")
    }

    func headers(_ user: UUID, _ role: Role) async throws -> HTTPFields {
        [.authorization: "Bearer \(try await authority.issue(userID: user, role: role, ttl: .seconds(600)))"]
    }

    static func seedLessons(_ database: PostgresClient, rewards: [Int?]) async throws -> [UUID] {
        let course = UUID(), module = UUID()
        try await database.query("INSERT INTO learning.courses (id, title, status, published_at) VALUES (\(course), 'C', 'published', now())")
        try await database.query("INSERT INTO learning.modules (id, course_id, title, position) VALUES (\(module), \(course), 'M', 0)")
        var lessons: [UUID] = []
        for (position, reward) in rewards.enumerated() {
            let lesson = UUID()
            try await database.query("""
                INSERT INTO learning.lessons (id, course_id, module_id, title, position, xp_reward)
                VALUES (\(lesson), \(course), \(module), 'L', \(position), \(reward))
                """)
            lessons.append(lesson)
        }
        return lessons
    }

    func complete(_ lesson: UUID, as student: UUID, on client: some TestClientProtocol) async throws {
        try await ConnectionPerRequestClient(port: client.port).execute(uri: "/v1/lessons/\(lesson)/complete", method: .post, headers: try await headers(student, .student)) { response in
            #expect(response.status == .ok)
        }
    }

    func xp(of user: UUID, on client: some TestClientProtocol, as caller: UUID? = nil, role: Role = .student) async throws -> (HTTPResponse.Status, [String: Any]) {
        try await ConnectionPerRequestClient(port: client.port).execute(uri: "/v1/users/\(user)/xp", method: .get, headers: try await headers(caller ?? user, role)) { response in
            (response.status, (try? JSONSerialization.jsonObject(with: Data(buffer: response.body)) as? [String: Any]) ?? [:])
        }
    }

    /// Polls until `total_xp` equals `expected` or the timeout passes; returns the last body.
    func eventuallyXP(_ user: UUID, equals expected: Int, on client: some TestClientProtocol, timeout: Duration = .seconds(90)) async throws -> [String: Any] {
        let deadline = ContinuousClock.now + timeout
        var last: [String: Any] = [:]
        while ContinuousClock.now < deadline {
            last = try await xp(of: user, on: client).1
            if last["total_xp"] as? Int == expected { return last }
            try await Task.sleep(for: .milliseconds(100))
        }
        return last
    }

    @Test func completedLessonsAwardXPOnceEach() async throws {
        try await TestPostgres.withDatabase { url in
            let configuration = try TestConfiguration(database: url)
            let learning = try await Learning.buildApplication(reader: configuration.reader)
            let gamification = try await Gamification.buildApplication(reader: configuration.reader)
            try await learning.test(.live) { learningClient in
                try await gamification.test(.live) { gamificationClient in
                    try await TestPostgres.withClient(url) { database in
                        let lessons = try await Self.seedLessons(database, rewards: [nil, 75])
                        let student = UUID()
                        try await complete(lessons[0], as: student, on: learningClient)
                        try await complete(lessons[0], as: student, on: learningClient)
                        try await complete(lessons[1], as: student, on: learningClient)
                        // 50 (the rule) + 75 (the lesson's own) + 200 for completing the course.
                        let body = try await eventuallyXP(student, equals: 325, on: gamificationClient)
                        #expect(body["total_xp"] as? Int == 325)
                        #expect(body["level"] as? Int == 4)

                        var ledgerRows = 0
                        for try await n in try await database.query("SELECT count(*)::int FROM gamification.xp_ledger WHERE user_id = \(student)").decode(Int.self) { ledgerRows = n }
                        #expect(ledgerRows == 3)
                        var awarded = 0
                        for try await n in try await database.query("SELECT count(*)::int FROM gamification.outbox WHERE type = 'gamification.xp_awarded'").decode(Int.self) { awarded = n }
                        #expect(awarded == 3)
                    }
                }
            }
        }
    }

    @Test func eventsWaitInTheOutboxUntilGamificationStarts() async throws {
        try await TestPostgres.withDatabase { url in
            let configuration = try TestConfiguration(database: url)
            let learning = try await Learning.buildApplication(reader: configuration.reader)
            let student = UUID()
            try await learning.test(.live) { learningClient in
                try await TestPostgres.withClient(url) { database in
                    let lessons = try await Self.seedLessons(database, rewards: [30, 40, 50])
                    for lesson in lessons { try await complete(lesson, as: student, on: learningClient) }
                }
                // Only now does gamification exist: it must replay what it missed.
                let gamification = try await Gamification.buildApplication(reader: configuration.reader)
                try await gamification.test(.live) { gamificationClient in
                    let body = try await eventuallyXP(student, equals: 320, on: gamificationClient)
                    #expect(body["total_xp"] as? Int == 320)
                }
            }
        }
    }

    @Test func passedQuizzesAndGradedAssignmentsEarnTheirRules() async throws {
        try await TestPostgres.withDatabase { url in
            let configuration = try TestConfiguration(database: url)
            let learning = try await Learning.buildApplication(reader: configuration.reader)
            let gamification = try await Gamification.buildApplication(reader: configuration.reader)
            try await learning.test(.live) { _ in
                try await gamification.test(.live) { gamificationClient in
                    try await TestPostgres.withClient(url) { database in
                        let student = UUID(), outbox = Outbox(schema: "learning")
                        try await database.transaction(logger: TestPostgres.logger) { connection in
                            try await outbox.append(QuizPassed(userId: student, quizId: UUID(), lessonId: UUID(), courseId: UUID(), attemptId: UUID(),
                                                               attemptNumber: 2, score: 8, maxScore: 10, percentage: 80, passedAt: Date()),
                                                    .init(subject: "user:\(student)"), on: connection, logger: TestPostgres.logger)
                            try await outbox.append(AssignmentGraded(userId: student, assignmentId: UUID(), lessonId: UUID(), courseId: UUID(),
                                                                     submissionId: UUID(), score: 40, rawScore: 40, maxPoints: 50, isLate: false,
                                                                     gradedAt: Date()),
                                                    .init(subject: "user:\(student)"), on: connection, logger: TestPostgres.logger)
                        }
                        let body = try await eventuallyXP(student, equals: 75, on: gamificationClient)
                        #expect(body["total_xp"] as? Int == 75)
                        var rules: [String] = []
                        for try await rule in try await database.query("SELECT rule FROM gamification.xp_ledger WHERE user_id = \(student) ORDER BY amount")
                            .decode(String.self) { rules.append(rule) }
                        #expect(rules == ["learning.quiz_passed", "learning.assignment_graded"])
                    }
                }
            }
        }
    }

    @Test func xpIsPrivateToTheLearnerAndStaff() async throws {
        try await TestPostgres.withDatabase { url in
            let gamification = try await Gamification.buildApplication(reader: TestConfiguration(database: url).reader)
            try await gamification.test(.live) { client in
                let learner = UUID()
                let own = try await xp(of: learner, on: client)
                #expect(own.0 == .ok && own.1["total_xp"] as? Int == 0 && own.1["level"] as? Int == 1)
                #expect(try await xp(of: learner, on: client, as: UUID()).0 == .forbidden)
                #expect(try await xp(of: learner, on: client, as: UUID(), role: .admin).0 == .ok)
                #expect(try await xp(of: learner, on: client, as: UUID(), role: .salesManager).0 == .forbidden)
                let fresh = ConnectionPerRequestClient(port: client.port)
                try await fresh.execute(uri: "/v1/users/\(learner)/xp", method: .get) { #expect($0.status == .unauthorized) }
                try await fresh.execute(uri: "/v1/users/42/xp", method: .get, headers: try await headers(learner, .admin)) {
                    #expect($0.status == .badRequest)
                }
            }
        }
    }
}
