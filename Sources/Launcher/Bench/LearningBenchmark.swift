import Foundation
import Logging
import PostgresNIO
import ServiceKit
#if canImport(Glibc)
import Glibc
#endif

/// The learning service under HTTP load, next to a bare Hummingbird `/health` measured in the
/// same run: the real `learning` executable on its own database (`lyceum_bench_learning`,
/// dropped afterwards) with `courses` courses and as many articles, driven by wrk.
struct LearningBenchmark {
    static let database = "lyceum_bench_learning"

    let context: LauncherContext
    let courses: Int
    let keepDatabase: Bool
    let wrk: Wrk
    let logger: Logger

    struct Row: Sendable {
        var label: String
        var result: Wrk.Result
    }

    /// Sets up, measures every scenario, tears down; `report` hears of each figure as it comes.
    /// Request files and the children's logs; removed afterwards unless the database is kept.
    static let folder = FileManager.default.temporaryDirectory.appendingPathComponent("lyceum-bench-learning-\(getpid())")

    func run(report: (Row) -> Void) async throws {
        try Wrk.requireInstalled()
        let admin = try context.adminDatabaseURL().url
        try await BenchDatabase(name: Self.database, logger: logger).around(admin, folder: Self.folder, keep: keepDatabase) { bench in
            let files = try await seed(bench)
            try await Child.withBaselineAndService("learning", context, database: bench, logs: files.folder) { baseline, base in
                let script = Self.cyclingScript
                report(Row(label: "bare Hummingbird GET /health (baseline)", result: try await wrk.run("\(baseline)/health")))
                // Warm-ups fill the catalog cache (the outline run cycles through 10,000 courses) and the
                // connections' plan caches; completions are measured cold, each one a new row.
                for (label, file, warm) in [("GET /v1/courses, 20 per page, filters", files.listing, 3),
                                            ("GET /v1/courses/{id} with modules and lessons", files.details, 8),
                                            ("GET /v1/search, 28 queries repeated (served from the cache)", files.searches, 3),
                                            ("GET /v1/search, every query new (index + one statement)", files.distinctSearches, 0),
                                            ("POST /v1/lessons/{id}/complete, new completions", files.completions, 0)] {
                    if warm > 0 {
                        _ = try await Wrk(connections: wrk.connections, duration: warm, scripts: wrk.scripts).run(base, lua: script, arguments: [file.path])
                    }
                    report(Row(label: label, result: try await wrk.run(base, lua: script, arguments: [file.path])))
                }
            }
        }
    }

    // MARK: - Data

    struct Files {
        var folder: URL
        var listing: URL
        var details: URL
        var searches: URL
        var distinctSearches: URL
        var completions: URL
    }

    /// Migrates and fills the bench database; writes the request files wrk cycles through.
    private func seed(_ bench: DatabaseURL) async throws -> Files {
        let folder = Self.folder
        try? FileManager.default.removeItem(at: folder)
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let start = ContinuousClock.now
        let learners = 20_000
        let (details, completions) = try await bench.withClient(logger: logger) { client in
            _ = try await MigrationRunner(client: client, directory: try context.migrationsDirectory, logger: logger).migrate(schema: "learning")
            for statement in LearningBenchData.seed(courses: courses) {
                try await client.query(PostgresQuery(unsafeSQL: statement), logger: logger)
            }
            var details: [String] = []
            for try await id in try await client.query("""
                SELECT md5('course' || i)::uuid FROM generate_series(1, \(min(courses, 10_000))) i
                """, logger: logger).decode(UUID.self) { details.append("GET /v1/courses/\(id.uuidString.lowercased())") }
            // Learners are enrolled beforehand (enrolling is its own action): ten learners in each of
            // 2,000 free courses each complete its six lessons, in rounds, so requests in flight are
            // different learners' in different courses.
            try await client.query("""
                INSERT INTO learning.enrollments (user_id, course_id, enrollment_type, status)
                SELECT md5('learner' || s)::uuid, md5('course' || \(unescaped: Self.freeCourse("s")))::uuid, 'free', 'enrolled'
                FROM generate_series(0, \(learners - 1)) s WHERE \(unescaped: Self.freeCourse("s")) <= \(courses)
                """, logger: logger)
            var pairs: [(UUID, UUID)] = []
            for try await (learner, lesson) in try await client.query("""
                SELECT md5('learner' || s)::uuid, md5('lesson' || \(unescaped: Self.freeCourse("s")) || '-' || (k / 3) || '-' || (k % 3))::uuid
                FROM generate_series(0, \(learners - 1)) s, generate_series(0, 5) k
                WHERE \(unescaped: Self.freeCourse("s")) <= \(courses)
                ORDER BY k, s
                """, logger: logger).decode((UUID, UUID).self) { pairs.append((learner, lesson)) }
            try await client.query("VACUUM ANALYZE learning.enrollments", logger: logger)
            await SeedSteps.checkpoint { try await client.query("CHECKPOINT", logger: logger) }
            return (details, pairs)
        }
        ConsoleOutput.writeLine(String(format: "Seeded %d courses (%d lessons) and %d articles in %.0f s.", courses, courses * 6, courses,
                                       (ContinuousClock.now - start).timeInterval))
        let authority = try await TokenAuthority(secret: context.jwtSecret)
        var tokens: [UUID: String] = [:]
        for learner in Set(completions.map(\.0)) {
            tokens[learner] = try await authority.issue(userID: learner, role: .student, ttl: .seconds(3600))
        }
        let listing = ["", "?category=programming", "?category=data&level=beginner", "?language=ru", "?language=fa", "?free=true",
                       "?free=false", "?level=advanced", "?limit=20&category=design", "?language=en&free=true"].map { "GET /v1/courses\($0)" }
        let searches = LearningBenchData.searchTerms.map {
            "GET /v1/search?q=\($0.addingPercentEncoding(withAllowedCharacters: Self.unreserved) ?? "")"
        }
        let files = Files(folder: folder, listing: folder.appendingPathComponent("listing.txt"), details: folder.appendingPathComponent("details.txt"),
                          searches: folder.appendingPathComponent("searches.txt"),
                          distinctSearches: folder.appendingPathComponent("distinct-searches.txt"), completions: folder.appendingPathComponent("completions.txt"))
        try listing.joined(separator: "\n").write(to: files.listing, atomically: true, encoding: .utf8)
        try details.joined(separator: "\n").write(to: files.details, atomically: true, encoding: .utf8)
        try searches.joined(separator: "\n").write(to: files.searches, atomically: true, encoding: .utf8)
        try LearningBenchData.distinctSearches(courses: courses).map { "GET /v1/search?\($0)" }.joined(separator: "\n")
            .write(to: files.distinctSearches, atomically: true, encoding: .utf8)
        try completions.map { "POST /v1/lessons/\($0.1.uuidString.lowercased())/complete \(tokens[$0.0] ?? "")" }.joined(separator: "\n")
            .write(to: files.completions, atomically: true, encoding: .utf8)
        return files
    }

    /// SQL: the number of learner `s`'s course, one of the first 2,000 free ones (every fifth is paid).
    static func freeCourse(_ s: String) -> String { "(5 * ((\(s) % 2000) / 4) + (\(s) % 2000) % 4 + 1)" }

    static let unreserved = CharacterSet(charactersIn: "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._~")

    /// wrk script: the requests of a file (`METHOD PATH [TOKEN]` per line), in turn.
    static let cyclingScript = """
        local requests = {}
        local index = 0
        init = function(args)
          for line in io.lines(args[1]) do
            local method, path, token = line:match("^(%S+) (%S+) ?(%S*)$")
            local headers = {}
            if token ~= nil and token ~= "" then headers["Authorization"] = "Bearer " .. token end
            table.insert(requests, wrk.format(method, path, headers, nil))
          end
        end
        request = function()
          index = index % #requests + 1
          return requests[index]
        end
        """

    static func waitFor(port: Int, path: String) async -> Bool {
        let deadline = ContinuousClock.now + .seconds(60)
        while ContinuousClock.now < deadline {
            if await ReadinessProbe.check(port: port, path: path) == true { return true }
            try? await Task.sleep(for: .milliseconds(200))
        }
        return false
    }
}

/// A benchmark's child process, its output in a log file, stopped with SIGTERM.
struct Child {
    let pid: pid_t

    static func start(_ path: String, _ arguments: [String], environment: [String: String], logs: URL) throws -> Child {
        let log = logs.appendingPathComponent(URL(fileURLWithPath: path).lastPathComponent + ".log").path
        let fd = open(log, O_WRONLY | O_CREAT | O_APPEND, 0o644)
        guard fd >= 0 else { throw ConfigurationError("cannot write \(log)") }
        defer { close(fd) }
        let input = open("/dev/null", O_RDONLY)
        defer { close(input) }
        let merged = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        return Child(pid: try ChildSpawner.spawn(path, arguments, environment: merged, stdin: input, stdout: fd, stderr: fd))
    }

    func stop() {
        kill(pid, SIGTERM)
        _ = ChildSpawner.wait(pid)
    }
}
