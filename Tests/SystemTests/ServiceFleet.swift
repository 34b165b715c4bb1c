import Foundation
import LyceumTestSupport
import PostgresNIO
import ServiceKit
import Testing

/// Service executables started one by one on a test database (schemas and demo data loaded by
/// `lyceum migrate --demo`), so a test can kill, restart and replicate them.
final class ServiceFleet: @unchecked Sendable {
    let configuration: TestConfiguration
    let environment: [String: String]
    let logDirectory: URL
    private var processes: [ServiceProcess] = []

    init(database: DatabaseURL, extra: [String: String] = [:]) throws {
        configuration = try TestConfiguration(database: database, jwtSecret: LauncherSystemTests.secret, fixedHTTPPorts: true,
                                              extra: ["LOG_LEVEL": "warning", "LYCEUM_BUS_RETRY_DELAY": "50ms"].merging(extra) { $1 })
        environment = ProcessInfo.processInfo.environment.merging(configuration.values) { _, test in test }
            // Services exit by themselves if the test process dies before it can kill them.
            .merging(["LYCEUM_PARENT_PID": String(getpid())]) { $1 }
        logDirectory = FileManager.default.temporaryDirectory.appendingPathComponent("lyceum-fleet-\(UUID())")
        try FileManager.default.createDirectory(at: logDirectory, withIntermediateDirectories: true)
    }

    /// A migrated fleet on a fresh test database, with an administrator client on it.
    static func withFleet(_ body: (ServiceFleet, PostgresClient) async throws -> Void) async throws {
        try await TestPostgres.withDatabase { url in
            try await TestPostgres.withClient(url) { client in
                let fleet = try ServiceFleet(database: url)
                defer { fleet.removeLogs() }
                try fleet.migrate()
                try await body(fleet, client)
            }
        }
    }

    deinit {
        for process in processes { process.kill() }
    }

    /// `lyceum migrate --demo` against the test database.
    func migrate() throws {
        let launcher = try ServiceProcess(executable: "lyceum", arguments: ["migrate", "--demo"], environment: environment,
                                          log: logDirectory.appendingPathComponent("migrate.log"))
        launcher.process.waitUntilExit()
        try #require(launcher.process.terminationStatus == 0, "lyceum migrate failed:\n\(launcher.logTail())")
    }

    func url(_ identity: ServiceIdentity, port: Int? = nil) -> String {
        "http://127.0.0.1:\(port ?? configuration.httpPort(of: identity))"
    }

    /// Starts one replica of `identity`; `overrides` replace configuration values (ports of a
    /// second replica, peers). Returns once it answers `/ready`.
    @discardableResult
    func start(_ identity: ServiceIdentity, name: String? = nil, overrides: [String: String] = [:],
               waitForReady: Bool = true) async throws -> ServiceProcess {
        let label = name ?? identity.name
        let environment = environment.merging(overrides) { $1 }
        let process = try ServiceProcess(executable: identity.name, arguments: [], environment: environment,
                                         log: logDirectory.appendingPathComponent("\(label)-\(processes.count).log"))
        processes.append(process)
        let port = Int(environment["\(identity.configKey.uppercased())_HTTP_PORT"] ?? "") ?? 0
        if waitForReady {
            let ready = try await Self.eventually(.seconds(60)) {
                guard process.process.isRunning else { return true }
                return await HTTP.status("http://127.0.0.1:\(port)/ready") == 200
            }
            try #require(ready && process.process.isRunning, "\(label) did not become ready:\n\(process.logTail())")
        }
        return process
    }

    /// Configuration for a second replica of `identity`: its own HTTP and bus ports.
    func replicaOverrides(_ identity: ServiceIdentity) throws -> [String: String] {
        let key = identity.configKey.uppercased()
        return [
            "\(key)_HTTP_PORT": String(try FreePort.pick()),
            "\(key)_BUS_PUBLISH": "tcp://127.0.0.1:\(try FreePort.pick())",
            "\(key)_BUS_REPLAY": "tcp://127.0.0.1:\(try FreePort.pick())",
        ]
    }

    /// `/ready` statuses of learning and gamification (first replicas).
    func readiness() async -> [Int?] {
        [await HTTP.status("\(url(.learning))/ready"), await HTTP.status("\(url(.gamification))/ready")]
    }

    func logs() -> String {
        processes.map { "--- \($0.log.lastPathComponent)\n\($0.logTail())" }.joined(separator: "\n")
    }

    func removeLogs() {
        try? FileManager.default.removeItem(at: logDirectory)
    }

    static func eventually(_ timeout: Duration, _ condition: () async throws -> Bool) async throws -> Bool {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if try await condition() { return true }
            try await Task.sleep(for: .milliseconds(200))
        }
        return false
    }
}

/// One child process with its output in a log file.
final class ServiceProcess: @unchecked Sendable {
    let process: SpawnedProcess
    let log: URL

    init(executable: String, arguments: [String], environment: [String: String], log: URL) throws {
        let path = LauncherSystemTests.binaries.appendingPathComponent(executable).path
        try #require(FileManager.default.isExecutableFile(atPath: path), "build first: \(path) is missing")
        self.log = log
        _ = FileManager.default.createFile(atPath: log.path, contents: nil)
        process = try SpawnedProcess(path, arguments, environment: environment, output: log)
    }

    var pid: Int32 { process.pid }

    func kill(_ signal: Int32 = SIGKILL) {
        process.kill(signal)
    }

    func killAndWait() {
        kill()
        process.waitUntilExit()
    }

    func logTail() -> String {
        String((try? String(contentsOf: log, encoding: .utf8))?.suffix(4000) ?? "")
    }
}
