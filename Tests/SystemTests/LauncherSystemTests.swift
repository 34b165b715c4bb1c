import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import LyceumTestSupport
import ServiceKit
import Testing

/// The real executables under the real launcher: `lyceum dev` on a fresh database, the slice
/// over HTTP, a SIGKILLed gamification restarted by the launcher, and a clean stop.
@Suite(.serialized) struct LauncherSystemTests {
    static let binaries = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
    static let secret = "system-test-secret-that-is-long-enough"
    static let demoLessonWorth120 = "10000000-0000-4000-8000-000000000003"
    static let demoLessonWorth75 = "10000000-0000-4000-8000-000000000002"

    @Test func devRunsTheSliceSurvivesAKilledChildAndStopsCleanly() async throws {
        let launcherPath = Self.binaries.appendingPathComponent("lyceum").path
        try #require(FileManager.default.isExecutableFile(atPath: launcherPath), "build first: \(launcherPath) is missing")
        try await TestPostgres.withDatabase { url in
            let configuration = try TestConfiguration(database: url, jwtSecret: Self.secret, fixedHTTPPorts: true,
                                                      extra: ["LOG_LEVEL": "info"])
            let environment = ProcessInfo.processInfo.environment.merging(configuration.values) { _, test in test }
            let ports = Dictionary(uniqueKeysWithValues: ServiceIdentity.all.map { ($0.name, configuration.httpPort(of: $0)) })
            let log = FileManager.default.temporaryDirectory.appendingPathComponent("lyceum-system-\(UUID()).log")
            _ = FileManager.default.createFile(atPath: log.path, contents: nil)
            let launcher = try SpawnedProcess(launcherPath, ["dev"], environment: environment, output: log)
            defer {
                for pid in Self.children(of: launcher.pid) { kill(pid, SIGKILL) }
                launcher.kill()
                launcher.waitUntilExit()
            }
            let logTail = { (try? String(contentsOf: log, encoding: .utf8))?.suffix(3000) ?? "" }

            let allReady = try await Self.eventually(.seconds(120)) {
                guard launcher.isRunning else { return true }
                for port in ports.values where await HTTP.status("http://127.0.0.1:\(port)/ready") != 200 { return false }
                return true
            }
            try #require(allReady && launcher.isRunning, "not every service became ready:\n\(logTail())")
            let learning = "http://127.0.0.1:\(ports["learning"]!)"
            let gamification = "http://127.0.0.1:\(ports["gamification"]!)"
            let student = UUID()
            let token = try await TokenAuthority(secret: Self.secret).issue(userID: student, role: .student, ttl: .seconds(600))
            let xpURL = "\(gamification)/v1/users/\(student)/xp"

            // The demo catalog: a course in each language, a quiz and an assignment among the lessons.
            let titles = ((await HTTP.json("\(learning)/v1/courses", token: nil)?["items"] as? [[String: Any]]) ?? []).compactMap { $0["title"] as? String }
            #expect(titles.contains("Data Analysis with Python") && titles.contains("مبانی برنامه‌نویسی با پایتون")
                    && titles.contains("Алгоритмы и структуры данных"), "\(titles)")
            #expect(await HTTP.status("\(learning)/v1/quizzes/e0000000-0000-4000-8000-000000000004", token: token) == 200)

            // The demo's AI usage: today's calls of the three agents, costed and rolled up.
            let aiUsage = "http://127.0.0.1:\(ports["ai-usage"]!)"
            let admin = try await TokenAuthority(secret: Self.secret).issue(userID: UUID(), role: .admin, ttl: .seconds(600))
            let report = await HTTP.json("\(aiUsage)/v1/usage/report?group=agent", token: admin)
            let agents = (report?["rows"] as? [[String: Any]] ?? []).compactMap { $0["agent"] as? String }
            #expect(Set(agents) == ["ai_curator", "ai_mentor", "ai_analyst"], "\(report ?? [:])")

            #expect(await HTTP.status("\(learning)/v1/lessons/\(Self.demoLessonWorth120)/complete", method: "POST", token: token) == 200)
            #expect(try await Self.eventually(.seconds(30)) { await HTTP.json(xpURL, token: token)?["total_xp"] as? Int == 120 },
                    "XP never reached 120:\n\(logTail())")

            let victim = try #require(Self.children(of: launcher.pid, named: "gamification").first)
            kill(victim, SIGKILL)
            #expect(try await Self.eventually(.seconds(60)) {
                let now = Self.children(of: launcher.pid, named: "gamification")
                guard let pid = now.first, pid != victim else { return false }
                return await HTTP.status("\(gamification)/ready") == 200
            }, "gamification was not restarted:\n\(logTail())")

            #expect(await HTTP.status("\(learning)/v1/lessons/\(Self.demoLessonWorth75)/complete", method: "POST", token: token) == 200)
            #expect(await HTTP.status("\(learning)/v1/lessons/\(Self.demoLessonWorth120)/complete", method: "POST", token: token) == 200)
            #expect(try await Self.eventually(.seconds(30)) { await HTTP.json(xpURL, token: token)?["total_xp"] as? Int == 195 },
                    "XP never reached 195:\n\(logTail())")
            try await Task.sleep(for: .seconds(2))
            #expect(await HTTP.json(xpURL, token: token)?["total_xp"] as? Int == 195)

            let children = Self.children(of: launcher.pid)
            #expect(children.count == 4)
            kill(launcher.pid, SIGTERM)
            #expect(try await Self.eventually(.seconds(30)) { !launcher.isRunning }, "launcher did not stop:\n\(logTail())")
            for pid in children {
                #expect(kill(pid, 0) != 0, "child \(pid) outlived the launcher")
            }
            try? FileManager.default.removeItem(at: log)
        }
    }

    /// Live child processes of `parent` (from /proc), optionally only those running `named`.
    static func children(of parent: Int32, named: String? = nil) -> [Int32] {
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
        return entries.compactMap(Int32.init).filter { pid in
            guard let status = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8) else { return false }
            let fields = status.split(separator: ")").last?.split(separator: " ") ?? []
            guard fields.count > 1, fields[0] != "Z", Int32(fields[1]) == parent else { return false }
            if let named {
                let command = (try? String(contentsOfFile: "/proc/\(pid)/cmdline", encoding: .utf8)) ?? ""
                return command.split(separator: "\0").first.map { URL(fileURLWithPath: String($0)).lastPathComponent } == named
            }
            return true
        }
    }

    static func eventually(_ timeout: Duration, _ condition: () async -> Bool) async throws -> Bool {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if await condition() { return true }
            try await Task.sleep(for: .milliseconds(200))
        }
        return false
    }
}

enum HTTP {
    static func request(_ url: String, method: String, token: String?) -> URLRequest {
        var request = URLRequest(url: URL(string: url)!)
        request.httpMethod = method
        request.timeoutInterval = 5
        if let token { request.setValue("Bearer \(token)", forHTTPHeaderField: "Authorization") }
        return request
    }

    static func status(_ url: String, method: String = "GET", token: String? = nil) async -> Int? {
        let response = try? await URLSession.shared.data(for: request(url, method: method, token: token)).1
        return (response as? HTTPURLResponse)?.statusCode
    }

    static func json(_ url: String, token: String?) async -> [String: Any]? {
        guard let (data, _) = try? await URLSession.shared.data(for: request(url, method: "GET", token: token)) else { return nil }
        return try? JSONSerialization.jsonObject(with: data) as? [String: Any]
    }
}
