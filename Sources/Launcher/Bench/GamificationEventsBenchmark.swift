import Contracts
import Foundation
import Logging
import MessageBus
import PostgresNIO
import ServiceKit
import Gamification
#if canImport(Glibc)
import Glibc
#endif

/// Events applied by the real `gamification` executable: a backlog of learning events (lessons,
/// quizzes, courses, assignments of `learners` learners over the `days` days up to now) sits in
/// a `learning` outbox on the benchmark's own database; this process relays it over the bus as
/// the learning service would, and the service applies it — activity log, ledger, totals,
/// levels, leaderboards, counters, streaks, achievements — until its cursor reaches the last
/// event. The rate is events over that time; the baseline, measured in the same run, is
/// PostgreSQL's single-row commit rate on this machine. Then the rebuild's dry run checks every
/// aggregate against the ledger and the events.
struct GamificationEventsBenchmark {
    static let database = "lyceum_bench_gamification_events"

    let context: LauncherContext
    let events: Int
    let learners: Int
    let days: Int
    let keepDatabase: Bool
    let logger: Logger

    struct Figures: Sendable {
        var events: Int
        var seconds: Double
        var commitRate: Double
        var rebuild: [GamificationRebuild.Part]
        var eventsPerSecond: Double { Double(events) / seconds }
    }

    static let folder = FileManager.default.temporaryDirectory.appendingPathComponent("lyceum-bench-gamification-events-\(getpid())")

    func run() async throws -> Figures {
        let admin = try context.adminDatabaseURL().url
        var figures: Figures?
        try await BenchDatabase(name: Self.database, logger: logger).around(admin, folder: Self.folder, keep: keepDatabase) { bench in
            try FileManager.default.createDirectory(at: Self.folder, withIntermediateDirectories: true)
            figures = try await bench.withClient(logger: logger) { client in
                let runner = MigrationRunner(client: client, directory: try context.migrationsDirectory, logger: logger)
                _ = try await runner.migrate(schema: "learning")
                _ = try await runner.migrate(schema: "gamification")
                let commitRate = try await singleRowCommitRate(client)
                let seedStart = ContinuousClock.now
                try await seedBacklog(client)
                ConsoleOutput.writeLine(String(format: "Queued %d learning events of %d learners in %.0f s.", events, learners,
                                               (ContinuousClock.now - seedStart).timeInterval))
                let seconds = try await measure(bench, client)
                let rebuild = try await GamificationRebuild(database: client, logger: logger).run(apply: false)
                return Figures(events: events, seconds: seconds, commitRate: commitRate, rebuild: rebuild)
            }
        }
        guard let figures else { throw ConfigurationError("the benchmark produced no figures") }
        return figures
    }

    /// Starts the service on the learning bus this process serves, then relays the backlog and
    /// waits until the service's cursor reaches its last event; the seconds that took.
    private func measure(_ bench: DatabaseURL, _ client: PostgresClient) async throws -> Double {
        let bus = try BusContext(logger: logger)
        defer { bus.shutdown() }
        let endpoints = BusEndpoints(publish: "tcp://127.0.0.1:\(try FreePort.pick())", replay: "tcp://127.0.0.1:\(try FreePort.pick())")
        let publisher = try PublisherSocket(context: bus, bind: endpoints.publish)
        let responder = try BusResponder(context: bus, bind: endpoints.replay)
        let port = try FreePort.pick()
        let service = try Child.service("gamification", context, database: bench, port: port, buses: ["learning": endpoints], logs: Self.folder)
        defer { service.stop() }
        guard await LearningBenchmark.waitFor(port: port, path: "/ready") else {
            throw ConfigurationError("the gamification service did not come up; logs in \(Self.folder.path)")
        }
        let metrics = ServiceMetrics()
        let source = ServiceIdentity.learning.eventSource
        let relay = OutboxRelay(schema: "learning", source: source, client: client, publisher: publisher, metrics: metrics, logger: logger)
        let replay = ReplayServer(responder: responder, schema: "learning", source: source, client: client, metrics: metrics, logger: logger)
        return try await withThrowingTaskGroup(of: Void.self) { group in
            let start = ContinuousClock.now
            group.addTask { try await relay.run() }
            group.addTask { try await replay.run() }
            defer { group.cancelAll() }
            var reported = start
            while true {
                let cursor = try await client.query("SELECT coalesce(max(last_sequence), 0) FROM gamification.inbox_cursors", logger: logger)
                    .decode(Int64.self).firstElement() ?? 0
                if cursor >= events { return (ContinuousClock.now - start).timeInterval }
                if ContinuousClock.now - reported > .seconds(5) {
                    reported = ContinuousClock.now
                    ConsoleOutput.writeLine("  applied \(cursor) of \(events)")
                }
                if ContinuousClock.now - start > .seconds(1800) {
                    throw ConfigurationError("the service applied only \(cursor) of \(events) events in 30 minutes; logs in \(Self.folder.path)")
                }
                try await Task.sleep(for: .milliseconds(20))
            }
        }
    }

    /// The backlog, in the learning outbox, 1,000 events per transaction: per learner mostly
    /// lessons, some quizzes (a few perfect), assignments and courses, at random times of the
    /// last `days` days, in random order (so streaks see late days too).
    private func seedBacklog(_ client: PostgresClient) async throws {
        let outbox = Outbox(schema: "learning")
        let now = Date()
        let users = (0..<learners).map { _ in UUID() }
        let courses = (0..<max(1, learners / 50)).map { _ in UUID() }
        var generator = SystemRandomNumberGenerator()
        for chunk in stride(from: 0, to: events, by: 1000) {
            var lessons: [(payload: LessonCompleted, metadata: Outbox.Metadata)] = []
            var quizzes: [(payload: QuizPassed, metadata: Outbox.Metadata)] = []
            var assignments: [(payload: AssignmentGraded, metadata: Outbox.Metadata)] = []
            var completions: [(payload: CourseCompleted, metadata: Outbox.Metadata)] = []
            for _ in chunk..<min(chunk + 1000, events) {
                let user = users.randomElement(using: &generator)!, course = courses.randomElement(using: &generator)!
                let at = now - Double.random(in: 0..<(Double(days) * 86_400), using: &generator)
                let metadata = Outbox.Metadata(subject: Outbox.userTag(user), occurredAt: at)
                switch Int.random(in: 0..<100, using: &generator) {
                case 0..<80:
                    lessons.append((LessonCompleted(userId: user, lessonId: UUID(), courseId: course, xpReward: Bool.random() ? nil : 30,
                                                    completedAt: at), metadata))
                case 80..<90:
                    let score = Int.random(in: 6...10, using: &generator)
                    quizzes.append((QuizPassed(userId: user, quizId: UUID(), lessonId: UUID(), courseId: course, attemptId: UUID(), attemptNumber: 1,
                                               score: score, maxScore: 10, percentage: Double(score * 10), passedAt: at), metadata))
                case 90..<97:
                    assignments.append((AssignmentGraded(userId: user, assignmentId: UUID(), lessonId: UUID(), courseId: course, submissionId: UUID(),
                                                         score: 90, rawScore: 9, maxPoints: 10, isLate: false, gradedAt: at), metadata))
                default:
                    completions.append((CourseCompleted(userId: user, courseId: course, lessonsCompleted: 10, completedAt: at), metadata))
                }
            }
            try await client.transaction(logger: logger) { connection in
                try await outbox.append(contentsOf: lessons, on: connection, logger: logger)
                try await outbox.append(contentsOf: quizzes, on: connection, logger: logger)
                try await outbox.append(contentsOf: assignments, on: connection, logger: logger)
                try await outbox.append(contentsOf: completions, on: connection, logger: logger)
            }
        }
        // Achievements the events unlock along the way, one per kind of condition.
        try await client.query("""
            INSERT INTO gamification.achievements (id, code, title, condition_type, condition_value, xp_reward, active)
            SELECT gen_random_uuid(), * FROM (VALUES ('bench-lessons', 'Ten lessons', 'lessons_completed', 10, 20, true),
                   ('bench-xp', 'A thousand XP', 'total_xp', 1000, 50, true),
                   ('bench-streak', 'Three days', 'streak_days', 3, 10, true),
                   ('bench-quizzes', 'Perfect quiz', 'perfect_quizzes', 1, 5, true)) a
            """, logger: logger)
    }

    /// Single-row INSERT commits from one connection for two seconds: this machine's commit rate now.
    private func singleRowCommitRate(_ client: PostgresClient) async throws -> Double {
        try await client.query("CREATE TABLE public.bench_commits (id bigserial PRIMARY KEY, body text NOT NULL)", logger: logger)
        let start = ContinuousClock.now
        var rows = 0
        try await client.withConnection { connection in
            while ContinuousClock.now - start < .seconds(2) {
                try await connection.query("INSERT INTO public.bench_commits (body) VALUES (\("row \(rows)"))", logger: logger)
                rows += 1
            }
        }
        try await client.query("DROP TABLE public.bench_commits", logger: logger)
        return Double(rows) / (ContinuousClock.now - start).timeInterval
    }
}
