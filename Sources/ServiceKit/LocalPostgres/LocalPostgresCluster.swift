import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A private PostgreSQL cluster under a project folder (`.lyceum/` by default), created with the machine's
/// own PostgreSQL programs. Used by `lyceum dev` and by tests, so neither needs a hand-started database.
///
/// Layout under `root`:
/// - `postgres/`                   the data directory (owned by the `postgres` OS user when we run as root)
/// - `postgres-admin-password`     the superuser password, mode 0600
/// - `postgres.json`               `{"port": N}`, the port the cluster listens on (reused when free)
/// - `postgres.log`                the server log
/// - `.lock`                       flock taken around init/start/stop, so concurrent callers are safe
///
/// When this process runs as root every server program runs as `postgres` through `runuser`
/// (initdb and pg_ctl refuse to run as root).
public struct LocalPostgresCluster: Sendable {
    public struct Options: Sendable {
        /// false for throwaway clusters: fsync=off, synchronous_commit=off, full_page_writes=off, initdb --no-sync.
        public var durable: Bool
        public var maxConnections: Int

        public init(durable: Bool = true, maxConnections: Int = 200) {
            self.durable = durable
            self.maxConnections = maxConnections
        }
    }

    /// LYCEUM_DATA_DIR (the caller resolves the default, ".lyceum" in the working directory). Stored absolute.
    public let root: URL
    public let options: Options

    public init(root: URL, options: Options = .init()) {
        var path = root.path
        if !path.hasPrefix("/") {
            path = (FileManager.default.currentDirectoryPath as NSString).appendingPathComponent(path)
        }
        self.root = URL(fileURLWithPath: path, isDirectory: true).standardizedFileURL
        self.options = options
    }

    public var adminUser: String { "lyceum" }
    static let adminDatabase = "lyceum"

    var dataDirectory: String { file("postgres") }
    var passwordFile: String { file("postgres-admin-password") }
    var stateFile: String { file("postgres.json") }
    var logFile: String { file("postgres.log") }
    var lockFile: String { file(".lock") }

    private func file(_ name: String) -> String {
        (root.path as NSString).appendingPathComponent(name)
    }

    // MARK: - Public operations

    /// Creates the cluster if missing (initdb: UTF8, C.UTF-8, scram-sha-256, superuser `lyceum` with a
    /// random password, database `lyceum`), starts it if it is not running (127.0.0.1 only, no Unix
    /// socket, on the recorded port when free, else a fresh one) and returns
    /// `postgres://lyceum:<password>@127.0.0.1:<port>/lyceum`. Safe to call from several processes at once.
    public func ensureRunning() throws -> String {
        let binaries = try PostgresBinaries.locate()
        let account = try ServerAccount.forCurrentUser()
        try createRoot()
        return try withLock {
            if !isInitialised {
                try initialise(binaries, account)
            }
            let port: Int
            if pgCtlStatus(binaries, account) == 0,
               let known = runningPort() ?? recordedPort(),
               try waitForConnections(port: known, binaries, account) {
                port = known
                if recordedPort() != port { try recordPort(port) }
            } else {
                // Not running (or it went away while we waited: a crash, a concurrent stop).
                port = try start(binaries, account)
                guard try waitForConnections(port: port, binaries, account) else {
                    throw LocalPostgresError(
                        "PostgreSQL in \(dataDirectory) stopped right after starting on port \(port)"
                        + "\n--- server log (tail) ---\n" + recentLog())
                }
            }
            return try adminURL(port: port)
        }
    }

    /// Whether the cluster's server is running (`pg_ctl status`).
    public func isRunning() -> Bool {
        guard isInitialised else { return false }
        do {
            // (Not `try?`: it would flatten the nil account of a non-root user into "failed".)
            let binaries = try PostgresBinaries.locate()
            let account = try ServerAccount.forCurrentUser()
            return pgCtlStatus(binaries, account) == 0
        } catch {
            return false
        }
    }

    /// The admin URL if the cluster has been initialised (recorded port + password), nil otherwise.
    /// Does not start anything; the server may be stopped.
    public func url() throws -> String? {
        guard isInitialised else { return nil }
        guard let port = recordedPort() ?? runningPort() else {
            throw LocalPostgresError("the cluster in \(dataDirectory) has no recorded port (\(stateFile) is missing); run ensureRunning()")
        }
        return try adminURL(port: port)
    }

    /// `pg_ctl stop -m fast -w`; does nothing when the cluster does not exist or is not running.
    public func stop() throws {
        guard isInitialised else { return }
        let binaries = try PostgresBinaries.locate()
        let account = try ServerAccount.forCurrentUser()
        try withLock { try stopLocked(binaries, account) }
    }

    /// Stops the server and deletes the data directory, password, port record and log.
    public func destroy() throws {
        guard FileManager.default.fileExists(atPath: root.path) else { return }
        try withLock {
            if isInitialised {
                let binaries = try PostgresBinaries.locate()
                let account = try ServerAccount.forCurrentUser()
                try stopLocked(binaries, account)
            }
            for path in [dataDirectory, passwordFile, stateFile, logFile] where FileManager.default.fileExists(atPath: path) {
                do {
                    try FileManager.default.removeItem(atPath: path)
                } catch {
                    throw LocalPostgresError("could not remove \(path): \(error)")
                }
            }
        }
    }

    // MARK: - Init

    var isInitialised: Bool {
        FileManager.default.fileExists(atPath: (dataDirectory as NSString).appendingPathComponent("PG_VERSION"))
    }

    private func createRoot() throws {
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: root.path, isDirectory: &isDirectory) {
            if !isDirectory.boolValue { throw LocalPostgresError("\(root.path) exists and is not a folder") }
            return
        }
        do {
            // 0755 so the `postgres` user can reach the data directory inside when we run as root.
            try FileManager.default.createDirectory(
                atPath: root.path, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o755])
        } catch {
            throw LocalPostgresError("could not create \(root.path): \(error)")
        }
    }

    private func initialise(_ binaries: PostgresBinaries, _ account: ServerAccount?) throws {
        let fm = FileManager.default
        // Whatever is here is the leftover of an interrupted initdb (no PG_VERSION): start afresh.
        if fm.fileExists(atPath: dataDirectory) {
            try? fm.removeItem(atPath: dataDirectory)
        }
        do {
            try fm.createDirectory(atPath: dataDirectory, withIntermediateDirectories: false,
                                   attributes: [.posixPermissions: 0o700])
        } catch {
            throw LocalPostgresError("could not create \(dataDirectory): \(error)")
        }
        var succeeded = false
        defer { if !succeeded { try? fm.removeItem(atPath: dataDirectory) } }

        if let account {
            try account.chown(dataDirectory)
            try account.checkCanUse(dataDirectory)
        }

        let password = Self.randomPassword()
        try Self.writePrivateFile(passwordFile, password + "\n", owner: nil)

        // initdb reads the password from a file; the `postgres` user cannot read ours (0600, our user),
        // so hand it a private copy it owns, deleted right after.
        var passwordForInitdb = passwordFile
        if let account {
            passwordForInitdb = file(".initdb-password-\(UUID().uuidString)")
            try Self.writePrivateFile(passwordForInitdb, password + "\n", owner: account)
        }
        defer { if passwordForInitdb != passwordFile { try? fm.removeItem(atPath: passwordForInitdb) } }

        var initdbArguments = [
            "-D", dataDirectory,
            "-U", adminUser,
            "--pwfile=\(passwordForInitdb)",
            "-A", "scram-sha-256",
            "-E", "UTF8",
            "--locale=C.UTF-8",
        ]
        if !options.durable { initdbArguments.append("--no-sync") }
        let initdb = try ProcessRunner.run(binaries.initdb, initdbArguments, asUser: account?.name,
                                           environment: ["LC_ALL": "C.UTF-8"])
        guard initdb.status == 0 else {
            throw LocalPostgresError.commandFailed(
                "initdb", command: ProcessRunner.commandLine(binaries.initdb, initdbArguments), result: initdb)
        }

        // Safe defaults for anyone starting this cluster by hand; ensureRunning passes them on the command line too.
        let conf = (dataDirectory as NSString).appendingPathComponent("postgresql.conf")
        let extra = """

            # Added by Lyceum (LocalPostgresCluster): TCP on loopback only, no Unix socket.
            listen_addresses = '127.0.0.1'
            unix_socket_directories = ''

            """
        do {
            let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: conf))
            defer { try? handle.close() }
            try handle.seekToEnd()
            try handle.write(contentsOf: Data(extra.utf8))
        } catch {
            throw LocalPostgresError("could not update \(conf): \(error)")
        }

        // Create the admin database without a client program: single-user mode reads SQL from stdin.
        var singleArguments = ["--single", "-D", dataDirectory]
        if !options.durable { singleArguments.append("-F") }
        singleArguments.append("postgres")
        let single = try ProcessRunner.run(
            binaries.postgres, singleArguments, asUser: account?.name, environment: nil, currentDirectory: nil,
            input: Data("CREATE DATABASE \(Self.adminDatabase);\n".utf8))
        if single.status != 0 || single.stderr.contains("ERROR:") || single.stderr.contains("FATAL:") {
            throw LocalPostgresError.commandFailed(
                "creating database \(Self.adminDatabase)",
                command: ProcessRunner.commandLine(binaries.postgres, singleArguments), result: single)
        }
        succeeded = true
    }

    // MARK: - Start / stop

    /// Runs `pg_ctl start` on the recorded port (or a fresh one) and returns the port.
    private func start(_ binaries: PostgresBinaries, _ account: ServerAccount?) throws -> Int {
        var port: Int
        if let recorded = recordedPort(), FreePort.isFree(recorded) {
            port = recorded
        } else {
            port = try FreePort.pick()
        }
        try prepareLogFile(account)

        let attempts = 3
        for attempt in 1...attempts {
            try recordPort(port)
            let logOffset = fileSize(logFile)
            var serverOptions = [
                "-p \(port)",
                "-c listen_addresses=127.0.0.1",
                "-c unix_socket_directories=''",
                "-c max_connections=\(options.maxConnections)",
            ]
            if options.durable {
                serverOptions += Self.durableServerOptions(physicalMemory: ProcessInfo.processInfo.physicalMemory)
            } else {
                serverOptions += ["-c fsync=off", "-c synchronous_commit=off", "-c full_page_writes=off"]
            }
            let arguments = ["-D", dataDirectory, "-l", logFile, "-w", "-t", "60",
                             "-o", serverOptions.joined(separator: " "), "start"]
            let result = try ProcessRunner.run(binaries.pgCtl, arguments, asUser: account?.name)
            if result.status == 0 { return port }

            let newLog = logText(from: logOffset)
            // Someone took the port between our check and the server's bind: try another one.
            if attempt < attempts, newLog.contains("Address already in use"), pgCtlStatus(binaries, account) != 0 {
                port = try FreePort.pick()
                continue
            }
            // The previous postmaster was killed and is a zombie its new parent has not reaped yet
            // (slow init in containers): the new server refuses its lock file until the pid is gone.
            if attempt < attempts, newLog.contains("lock file \"postmaster.pid\" already exists"),
               let stale = postmasterPID(), waitUntilGone(stale, timeout: 15) {
                continue
            }
            throw LocalPostgresError.commandFailed(
                "starting PostgreSQL (data \(dataDirectory), port \(port), log \(logFile))",
                command: ProcessRunner.commandLine(binaries.pgCtl, arguments), result: result,
                logTail: Self.lastLines(newLog.isEmpty ? logText(from: max(0, fileSize(logFile) - 16_384)) : newLog, 30))
        }
        fatalError("unreachable")
    }

    private func stopLocked(_ binaries: PostgresBinaries, _ account: ServerAccount?) throws {
        guard pgCtlStatus(binaries, account) == 0 else { return }
        let arguments = ["-D", dataDirectory, "-m", "fast", "-w", "-t", "60", "stop"]
        let result = try ProcessRunner.run(binaries.pgCtl, arguments, asUser: account?.name)
        // Status 1 with "no server running" / "PID file ... does not exist" is a race with another stopper.
        if result.status != 0 && pgCtlStatus(binaries, account) == 0 {
            throw LocalPostgresError.commandFailed(
                "stopping PostgreSQL", command: ProcessRunner.commandLine(binaries.pgCtl, arguments), result: result,
                logTail: recentLog())
        }
    }

    /// `pg_ctl status`: 0 running, 3 not running, 4 no usable data directory. A postmaster that died but
    /// has not been reaped yet (a zombie, which `kill(pid, 0)` still finds) counts as not running.
    private func pgCtlStatus(_ binaries: PostgresBinaries, _ account: ServerAccount?) -> Int32 {
        guard isInitialised else { return 4 }
        let result = try? ProcessRunner.run(binaries.pgCtl, ["-D", dataDirectory, "status"], asUser: account?.name)
        let status = result?.status ?? 4
        if status == 0, let pid = postmasterPID(), Self.isZombie(pid) { return 3 }
        return status
    }

    /// Waits until the server accepts TCP connections: true when it does, false when it stops running
    /// meanwhile; throws after 30 s.
    private func waitForConnections(port: Int, _ binaries: PostgresBinaries, _ account: ServerAccount?) throws -> Bool {
        let deadline = Date().addingTimeInterval(30)
        var nextStatusCheck = Date().addingTimeInterval(0.5)
        while !FreePort.acceptsConnections(port) {
            if Date() > deadline {
                throw LocalPostgresError(
                    "PostgreSQL in \(dataDirectory) is running but does not accept connections on 127.0.0.1:\(port) after 30 s"
                    + "\n--- server log (tail) ---\n" + recentLog())
            }
            if Date() > nextStatusCheck {
                if pgCtlStatus(binaries, account) != 0 { return false }
                nextStatusCheck = Date().addingTimeInterval(0.5)
            }
            usleep(50_000)
        }
        return true
    }

    private func recentLog() -> String {
        Self.lastLines(logText(from: max(0, fileSize(logFile) - 16_384)), 30)
    }

    private func postmasterPID() -> pid_t? {
        let pidFile = (dataDirectory as NSString).appendingPathComponent("postmaster.pid")
        guard let text = try? String(contentsOfFile: pidFile, encoding: .utf8),
              let first = text.split(separator: "\n").first else { return nil }
        return pid_t(first.trimmingCharacters(in: .whitespaces))
    }

    /// Waits until `pid` no longer exists when it is a zombie or already gone; false when it is a live process.
    private func waitUntilGone(_ pid: pid_t, timeout: TimeInterval) -> Bool {
        let deadline = Date().addingTimeInterval(timeout)
        while kill(pid, 0) == 0 || errno == EPERM {
            if !Self.isZombie(pid) || Date() > deadline { return false }
            usleep(100_000)
        }
        return true
    }

    private static func isZombie(_ pid: pid_t) -> Bool {
        // /proc/<pid>/stat: "pid (comm) S ..." - the state follows the last ')'.
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
              let close = stat.lastIndex(of: ")") else { return false }
        return stat[stat.index(after: close)...].trimmingCharacters(in: .whitespaces).hasPrefix("Z")
    }

    // MARK: - Files

    private struct State: Codable {
        var port: Int
    }

    func recordedPort() -> Int? {
        guard let data = FileManager.default.contents(atPath: stateFile),
              let state = try? JSONDecoder().decode(State.self, from: data) else { return nil }
        return state.port
    }

    private func recordPort(_ port: Int) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        do {
            try encoder.encode(State(port: port)).write(to: URL(fileURLWithPath: stateFile), options: .atomic)
        } catch {
            throw LocalPostgresError("could not write \(stateFile): \(error)")
        }
    }

    /// The port in postmaster.pid (line 4) of a running server.
    private func runningPort() -> Int? {
        let pidFile = (dataDirectory as NSString).appendingPathComponent("postmaster.pid")
        guard let text = try? String(contentsOfFile: pidFile, encoding: .utf8) else { return nil }
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        guard lines.count > 3 else { return nil }
        return Int(lines[3].trimmingCharacters(in: .whitespaces))
    }

    private func adminURL(port: Int) throws -> String {
        guard let raw = try? String(contentsOfFile: passwordFile, encoding: .utf8) else {
            throw LocalPostgresError("the admin password file \(passwordFile) is missing or unreadable; "
                                     + "destroy the cluster (remove \(dataDirectory)) to re-create it")
        }
        let password = raw.trimmingCharacters(in: .whitespacesAndNewlines)
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        let encoded = password.addingPercentEncoding(withAllowedCharacters: allowed) ?? password
        return "postgres://\(adminUser):\(encoded)@127.0.0.1:\(port)/\(Self.adminDatabase)"
    }

    /// The server opens the log as `postgres`, which cannot create files in our root folder.
    private func prepareLogFile(_ account: ServerAccount?) throws {
        if !FileManager.default.fileExists(atPath: logFile) {
            guard FileManager.default.createFile(atPath: logFile, contents: nil, attributes: [.posixPermissions: 0o640]) else {
                throw LocalPostgresError("could not create \(logFile)")
            }
        }
        if let account { try account.chown(logFile) }
    }

    private func fileSize(_ path: String) -> Int {
        ((try? FileManager.default.attributesOfItem(atPath: path))?[.size] as? NSNumber)?.intValue ?? 0
    }

    private func logText(from offset: Int) -> String {
        guard let handle = FileHandle(forReadingAtPath: logFile) else { return "" }
        defer { try? handle.close() }
        try? handle.seek(toOffset: UInt64(max(0, offset)))
        let data = (try? handle.readToEnd()) ?? Data()
        return String(decoding: data, as: UTF8.self)
    }

    static func lastLines(_ text: String, _ count: Int) -> String {
        text.split(separator: "\n", omittingEmptySubsequences: true).suffix(count).joined(separator: "\n")
    }

    private static func randomPassword() -> String {
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789")
        var generator = SystemRandomNumberGenerator()
        return String((0..<32).map { _ in alphabet.randomElement(using: &generator)! })
    }

    /// Writes `contents` to `path` with mode 0600 (never readable by others, not even briefly), optionally
    /// handing it to `owner`.
    private static func writePrivateFile(_ path: String, _ contents: String, owner: ServerAccount?) throws {
        let temporary = path + ".tmp-\(getpid())"
        let fd = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
        guard fd >= 0 else {
            throw LocalPostgresError("could not create \(temporary): \(String(cString: strerror(errno)))")
        }
        let bytes = Array(contents.utf8)
        let written = bytes.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
        fchmod(fd, 0o600)
        close(fd)
        guard written == bytes.count else {
            unlink(temporary)
            throw LocalPostgresError("could not write \(path)")
        }
        if let owner {
            do { try owner.chown(temporary) } catch { unlink(temporary); throw error }
        }
        guard rename(temporary, path) == 0 else {
            let reason = String(cString: strerror(errno))
            unlink(temporary)
            throw LocalPostgresError("could not write \(path): \(reason)")
        }
    }

    // MARK: - Lock

    /// Runs `body` holding an exclusive flock on root/.lock (between processes and between threads).
    private func withLock<T>(_ body: () throws -> T) throws -> T {
        let fd = open(lockFile, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard fd >= 0 else {
            throw LocalPostgresError("could not open \(lockFile): \(String(cString: strerror(errno)))")
        }
        defer { close(fd) }  // closing releases the lock
        while flock(fd, LOCK_EX) != 0 {
            if errno == EINTR { continue }
            throw LocalPostgresError("could not lock \(lockFile): \(String(cString: strerror(errno)))")
        }
        return try body()
    }
}

/// The OS account the server programs run as when we are root (initdb and pg_ctl refuse root).
struct ServerAccount: Sendable {
    let name: String
    let uid: uid_t
    let gid: gid_t

    /// nil when we are not root: the programs then run as ourselves.
    static func forCurrentUser() throws -> ServerAccount? {
        guard geteuid() == 0 else { return nil }
        guard let entry = getpwnam("postgres") else {
            throw LocalPostgresError(
                "running as root, but initdb and pg_ctl refuse to run as root and there is no `postgres` OS user "
                + "to run them as. Install the postgresql package (it creates the user), create one "
                + "(`useradd --system --home /var/lib/postgresql postgres`), or run as an ordinary user.")
        }
        return ServerAccount(name: "postgres", uid: entry.pointee.pw_uid, gid: entry.pointee.pw_gid)
    }

    func chown(_ path: String) throws {
        guard Glibc.chown(path, uid, gid) == 0 else {
            throw LocalPostgresError("could not chown \(path) to \(name): \(String(cString: strerror(errno)))")
        }
    }

    /// Fails with a clear message when this account cannot reach and write `directory`
    /// (typically because a parent such as /root is not traversable by other users).
    func checkCanUse(_ directory: String) throws {
        if (try? ProcessRunner.run("test", ["-d", directory, "-a", "-w", directory, "-a", "-x", directory], asUser: name))?.status == 0 {
            return
        }
        // Find the first folder on the way that the account cannot enter.
        var path = ""
        var blocked: String?
        for component in directory.split(separator: "/") {
            path += "/" + component
            if (try? ProcessRunner.run("test", ["-x", path], asUser: name))?.status != 0 {
                blocked = path
                break
            }
        }
        var message = "permission denied: the `\(name)` OS user cannot use \(directory). "
            + "We run as root, so the PostgreSQL programs run as `\(name)` (initdb refuses root), "
            + "and `\(name)` must be able to traverse every parent folder."
        if let blocked {
            let mode = ((try? FileManager.default.attributesOfItem(atPath: blocked))?[.posixPermissions] as? NSNumber)
                .map { String($0.intValue, radix: 8) } ?? "?"
            message += " It cannot enter \(blocked) (mode \(mode)). Fix: `chmod o+x \(blocked)`, or set "
                + "LYCEUM_DATA_DIR to a folder it can reach (for example /var/tmp/lyceum), or run as an ordinary user."
        } else {
            message += " Fix the permissions, set LYCEUM_DATA_DIR to another folder, or run as an ordinary user."
        }
        throw LocalPostgresError(message)
    }
}

extension LocalPostgresCluster {
    /// The durable (development) cluster's memory and WAL: PostgreSQL's defaults (128 MB of
    /// shared buffers, a checkpoint every 1 GB of WAL or 5 minutes) are sized for a small shared
    /// server, and under the services' write load they checkpointed every half minute, each
    /// checkpoint making the next writes log whole pages; completions' p99 swung with them. An
    /// eighth of the memory (128 MB to 2 GB) for buffers, and a checkpoint every 4 GB of WAL or 15
    /// minutes, as production guides suggest. A random page read priced as on an SSD (1.1, not
    /// the spinning disk's 4): with 4 the planner answered a run of 500 learners by scanning whole
    /// tables (the activity log, totals, streak days) into hash joins instead of probing their
    /// keys, and the gamification backlog ran 15–20% slower.
    static func durableServerOptions(physicalMemory: UInt64) -> [String] {
        let megabytes = min(max(physicalMemory / 8 / 1_048_576, 128), 2048)
        return ["-c shared_buffers=\(megabytes)MB", "-c max_wal_size=4GB", "-c checkpoint_timeout=15min", "-c checkpoint_completion_target=0.9",
                "-c random_page_cost=1.1"]
    }
}
