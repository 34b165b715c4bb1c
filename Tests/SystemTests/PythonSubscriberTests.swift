import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import LyceumTestSupport
import ServiceKit
import Testing

/// The example in `examples/python-subscriber/` against the real `learning` executable: a
/// subscriber started before an event prints it, and one started after an event was published
/// gets it by replay (`--from 0`), then the next one live, in order and without duplicates.
/// Needs a `python3` that can `import zmq` (`apt-get install python3-zmq`, done by
/// `scripts/install-system-packages.sh`): without one these tests fail rather than skip.
@Suite(.serialized) struct PythonSubscriberTests {
    static let binaries = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
    static let packageRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let script = packageRoot.appendingPathComponent("examples/python-subscriber/subscriber.py")
    static let secret = "python-subscriber-test-secret-long-enough"
    static let demoLessonWorth120 = UUID(uuidString: "10000000-0000-4000-8000-000000000003")!
    static let demoLessonWorth75 = UUID(uuidString: "10000000-0000-4000-8000-000000000002")!

    @Test func printsALessonCompletedThatHappensAfterItStarts() async throws {
        let python = try Self.requirePythonWithZMQ()
        try await Self.withLearning { learning in
            let student = UUID()
            let subscriber = try learning.startSubscriber(python: python, ["--from", "0", "--type", "learning.lesson_completed", "--count", "1", "--timeout", "30"])
            defer { subscriber.forceStop() }
            try await Task.sleep(for: .seconds(1))   // let it connect and find the stream empty

            #expect(await learning.complete(Self.demoLessonWorth120, as: student) == 200)

            let status = try await subscriber.exitStatus(within: .seconds(45))
            #expect(status == 0, "subscriber exited with \(status.map(String.init) ?? "nothing"):\n\(subscriber.report())")
            let events = subscriber.stdoutLines()
            try #require(events.count == 1, "expected one line:\n\(subscriber.report())")
            let event = try Self.event(events[0])
            #expect(event.type == "learning.lesson_completed")
            #expect(event.sequence == 2)   // 1 is the learner's enrollment_created, which --type leaves out
            #expect(event.userID == student)
            #expect(event.lessonID == Self.demoLessonWorth120)
        }
    }

    @Test func replaysAnEventPublishedBeforeItStartedThenFollowsLive() async throws {
        let python = try Self.requirePythonWithZMQ()
        try await Self.withLearning { learning in
            let student = UUID()
            #expect(await learning.complete(Self.demoLessonWorth120, as: student) == 200)
            let published = try await LauncherSystemTests.eventually(.seconds(30)) { await learning.publishedCount() >= 2 }
            try #require(published, "learning never published the event:\n\(learning.process.report())")

            let subscriber = try learning.startSubscriber(python: python, ["--from", "0", "--type", "learning.lesson_completed", "--count", "2", "--timeout", "30"])
            defer { subscriber.forceStop() }
            let replayed = try await LauncherSystemTests.eventually(.seconds(30)) {
                subscriber.stdoutLines().count >= 1 || !subscriber.isRunning
            }
            try #require(replayed && subscriber.stdoutLines().count == 1,
                         "the event published before the subscriber started was not replayed:\n\(subscriber.report())")

            #expect(await learning.complete(Self.demoLessonWorth75, as: student) == 200)
            let status = try await subscriber.exitStatus(within: .seconds(45))
            #expect(status == 0, "subscriber exited with \(status.map(String.init) ?? "nothing"):\n\(subscriber.report())")
            let events = try subscriber.stdoutLines().map(Self.event)
            #expect(events.map(\.sequence) == [2, 3], "\(subscriber.report())")
            #expect(events.map(\.type) == ["learning.lesson_completed", "learning.lesson_completed"])
            #expect(events.map(\.userID) == [student, student])
            #expect(events.map(\.lessonID) == [Self.demoLessonWorth120, Self.demoLessonWorth75])
        }
    }

    // MARK: - The learning service under test

    struct LearningProcess {
        let process: Child
        let configuration: TestConfiguration
        var http: String { "http://127.0.0.1:\(configuration.httpPort(of: .learning))" }

        func complete(_ lesson: UUID, as student: UUID) async -> Int? {
            guard let token = try? await TokenAuthority(secret: PythonSubscriberTests.secret)
                .issue(userID: student, role: .student, ttl: .seconds(600)) else { return nil }
            return await HTTP.status("\(http)/v1/lessons/\(lesson)/complete", method: "POST", token: token)
        }

        /// `bus_events_published_total{source="learning"}` from `/metrics` (0 when unreadable).
        func publishedCount() async -> Double {
            guard let url = URL(string: "\(http)/metrics"),
                  let (data, _) = try? await URLSession.shared.data(from: url) else { return 0 }
            let line = String(decoding: data, as: UTF8.self).split(separator: "\n")
                .first { $0.hasPrefix("bus_events_published_total{") && $0.contains(#"source="learning""#) }
            return line.flatMap { $0.split(separator: " ").last }.flatMap { Double($0) } ?? 0
        }

        func startSubscriber(python: String, _ arguments: [String]) throws -> Child {
            let bus = configuration.values
            return try Child(python, [
                PythonSubscriberTests.script.path,
                "--publish", bus["LEARNING_BUS_PUBLISH"]!, "--replay", bus["LEARNING_BUS_REPLAY"]!, "--source", "learning",
            ] + arguments, environment: ProcessInfo.processInfo.environment.merging(["PYTHONDONTWRITEBYTECODE": "1"]) { _, new in new })
        }
    }

    /// A fresh database migrated with the demo data by `lyceum migrate --demo`, and the `learning`
    /// executable on it (with its own database role, as `lyceum dev` starts it), ready.
    static func withLearning(_ body: (LearningProcess) async throws -> Void) async throws {
        let lyceum = binaries.appendingPathComponent("lyceum").path
        let learningPath = binaries.appendingPathComponent("learning").path
        for path in [lyceum, learningPath] {
            try #require(FileManager.default.isExecutableFile(atPath: path), "build first: \(path) is missing")
        }
        try await TestPostgres.withDatabase { url in
            let configuration = try TestConfiguration(database: url, jwtSecret: secret, fixedHTTPPorts: true)
            let environment = ProcessInfo.processInfo.environment
                .merging(configuration.values) { _, test in test }
                .merging(["LYCEUM_MIGRATIONS_DIR": packageRoot.appendingPathComponent("migrations").path]) { _, new in new }

            let migrate = try Child(lyceum, ["migrate", "--demo"], environment: environment)
            defer { migrate.forceStop() }
            let migrated = try await migrate.exitStatus(within: .seconds(120))
            try #require(migrated == 0, "lyceum migrate --demo failed:\n\(migrate.report())")

            let roleURL = ServiceDatabaseRoles(adminURL: url).serviceURL(for: .learning).string
            let process = try Child(learningPath, [], environment: environment.merging(["LYCEUM_DATABASE_URL": roleURL]) { _, new in new })
            defer { process.forceStop() }
            let learning = LearningProcess(process: process, configuration: configuration)
            let ready = try await LauncherSystemTests.eventually(.seconds(60)) {
                guard process.isRunning else { return true }
                return await HTTP.status("\(learning.http)/ready") == 200
            }
            try #require(ready && process.isRunning, "learning did not become ready:\n\(process.report())")
            try await body(learning)
            await process.terminate(grace: .seconds(5))
        }
    }

    // MARK: - Python and the printed events

    /// `LYCEUM_PYTHON` when set; otherwise the first of Debian's `/usr/bin/python3` (where
    /// `python3-zmq` installs) and every `python3` on PATH that can import zmq. A test fails
    /// (never skips) when there is none: CI installs it with scripts/install-system-packages.sh.
    static func requirePythonWithZMQ() throws -> String {
        let environment = ProcessInfo.processInfo.environment
        var candidates = ["/usr/bin/python3"] + (environment["PATH"] ?? "").split(separator: ":").map { "\($0)/python3" }
        if let chosen = environment["LYCEUM_PYTHON"], !chosen.isEmpty { candidates = [chosen] }
        var unique: [String] = []
        for candidate in candidates where !unique.contains(candidate) { unique.append(candidate) }
        let python = unique.first { candidate in
            guard FileManager.default.isExecutableFile(atPath: candidate) else { return false }
            guard let probe = try? SpawnedProcess(candidate, ["-c", "import zmq"], environment: environment, output: nil) else { return false }
            return probe.waitUntilExit() == 0
        }
        return try #require(python, """
            no python3 that can import zmq among \(unique): install it with `apt-get install python3-zmq` \
            (scripts/install-system-packages.sh does), or point LYCEUM_PYTHON at one
            """)
    }

    struct PrintedEvent {
        var type: String?
        var sequence: Int?
        var userID: UUID?
        var lessonID: UUID?
    }

    static func event(_ line: String) throws -> PrintedEvent {
        let object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any],
                                  "not a JSON object: \(line)")
        let payload = object["payload"] as? [String: Any]
        return PrintedEvent(type: object["type"] as? String, sequence: object["sequence"] as? Int,
                            userID: (payload?["user_id"] as? String).flatMap(UUID.init(uuidString:)),
                            lessonID: (payload?["lesson_id"] as? String).flatMap(UUID.init(uuidString:)))
    }

    /// A child process whose stdout and stderr go to temporary files (removed by `forceStop()`).
    final class Child {
        let name: String
        private let process: SpawnedProcess
        let stdoutFile: URL
        let stderrFile: URL

        init(_ executable: String, _ arguments: [String], environment: [String: String]) throws {
            name = URL(fileURLWithPath: executable).lastPathComponent
            let base = FileManager.default.temporaryDirectory.appendingPathComponent("lyceum-\(name)-\(UUID())")
            stdoutFile = base.appendingPathExtension("out")
            stderrFile = base.appendingPathExtension("err")
            _ = FileManager.default.createFile(atPath: stdoutFile.path, contents: nil)
            _ = FileManager.default.createFile(atPath: stderrFile.path, contents: nil)
            do {
                process = try SpawnedProcess(executable, arguments, environment: environment, output: stdoutFile, errors: stderrFile)
            } catch {
                try? FileManager.default.removeItem(at: stdoutFile)
                try? FileManager.default.removeItem(at: stderrFile)
                throw error
            }
        }

        var isRunning: Bool { process.isRunning }

        /// The exit status, or nil if it is still running after `timeout`.
        func exitStatus(within timeout: Duration) async throws -> Int32? {
            guard try await LauncherSystemTests.eventually(timeout, { !process.isRunning }) else { return nil }
            return process.terminationStatus
        }

        /// SIGTERM, then SIGKILL if it is still running after `grace`.
        func terminate(grace: Duration) async {
            guard process.isRunning else { return }
            process.kill(SIGTERM)
            if (try? await LauncherSystemTests.eventually(grace, { !process.isRunning })) != true {
                process.kill(SIGKILL)
            }
        }

        /// SIGKILL if still running, and remove the output files: every path ends here.
        func forceStop() {
            process.kill(SIGKILL)
            process.waitUntilExit()
            removeFiles()
        }

        func stdoutLines() -> [String] {
            ((try? String(contentsOf: stdoutFile, encoding: .utf8)) ?? "").split(separator: "\n").map(String.init)
        }

        /// The tails of both outputs, for failure messages.
        func report() -> String {
            let out = (try? String(contentsOf: stdoutFile, encoding: .utf8)) ?? ""
            let err = (try? String(contentsOf: stderrFile, encoding: .utf8)) ?? ""
            return "[\(name) stdout]\n\(out.suffix(3000))\n[\(name) stderr]\n\(err.suffix(3000))"
        }

        private func removeFiles() {
            try? FileManager.default.removeItem(at: stdoutFile)
            try? FileManager.default.removeItem(at: stderrFile)
        }
    }
}
