import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Runs the service executables as child processes, prefixes their output, restarts a child that
/// exits, and stops them all on request.
///
/// - Output: every stdout/stderr line of a child is written as "[name] line" (coloured per child when
///   `colorize`), whole lines at a time. A dedicated thread reads each pipe, so a quiet or stuck child
///   never holds up another's output.
/// - Restarts: a child that exits while we are not stopping is reported ("[name] exited with status N" /
///   "[name] killed by signal S") and started again after a backoff of 1 s, doubling up to 30 s, back to
///   1 s once it had run for 60 s.
/// - Each child runs in its own process group; signals go to the whole group, so helpers a child
///   forked are stopped with it, and leftovers of a crashed child are killed before it is restarted.
/// - Children get LYCEUM_PARENT_PID=<launcher pid> so they can exit if the launcher dies.
final class Supervisor: Sendable {
    private let specs: [ChildSpec]
    private let colorize: Bool
    private let state = SupervisorState(State())

    private struct Child {
        var pid: Int32?
        var restarts = 0
        var startedAt = Date()
        var nextBackoff: Double = 1
    }

    private struct State {
        var children: [String: Child] = [:]
        var started = false
        var stopping = false
    }

    static let initialBackoff: Double = 1
    static let maximumBackoff: Double = 30
    static let stableRunTime: Double = 60

    init(children: [ChildSpec], colorize: Bool) {
        self.specs = children
        self.colorize = colorize
    }

    /// Spawns every child. Throws if one cannot be started (the ones already started are then sent
    /// SIGTERM; call `stopAll` to wait for them) or when called twice.
    func start() throws {
        var names = Set<String>()
        for spec in specs where !names.insert(spec.name).inserted {
            throw SupervisorError("two children are named \(spec.name)")
        }
        // A closed stdout (launcher piped into `head`) must not kill the launcher.
        signal(SIGPIPE, SIG_IGN)

        try state.withLock { state in
            guard !state.started else { throw SupervisorError("the supervisor was already started") }
            state.started = true
            for spec in specs { state.children[spec.name] = Child() }
            for spec in specs {
                do {
                    let pid = try spawn(spec)
                    state.children[spec.name]?.pid = pid
                    state.children[spec.name]?.startedAt = Date()
                } catch {
                    state.stopping = true
                    for child in state.children.values { if let pid = child.pid { Self.signalGroup(pid, SIGTERM) } }
                    throw SupervisorError("could not start \(spec.name) (\(spec.executable.path)): \(error)")
                }
            }
        }
    }

    /// How many times the child was restarted after exiting.
    func restartCount(of name: String) -> Int {
        state.withLock { $0.children[name]?.restarts ?? 0 }
    }

    /// The child's process id while it runs; nil between an exit and its restart, and after stopAll.
    func pid(of name: String) -> Int32? {
        state.withLock { $0.children[name]?.pid }
    }

    /// Sends SIGTERM to every child (its whole process group), waits up to `grace` for them to exit,
    /// SIGKILLs the rest and returns once all are reaped and their output is flushed. No restart happens
    /// once this is called. Safe to call more than once.
    func stopAll(grace: Duration) async {
        let pids = state.withLock { state -> [Int32] in
            state.stopping = true
            return state.children.values.compactMap(\.pid)
        }
        for pid in pids { Self.signalGroup(pid, SIGTERM) }

        let deadline = ContinuousClock.now + grace
        while anyRunning(), ContinuousClock.now < deadline {
            try? await Task.sleep(for: .milliseconds(20))
        }
        let remaining = state.withLock { $0.children.values.compactMap(\.pid) }
        for pid in remaining { Self.signalGroup(pid, SIGKILL) }
        while anyRunning() {
            try? await Task.sleep(for: .milliseconds(20))
        }
    }

    // MARK: - Children

    private func anyRunning() -> Bool {
        state.withLock { $0.children.values.contains { $0.pid != nil } }
    }

    private func colorIndex(of name: String) -> Int? {
        colorize ? specs.firstIndex { $0.name == name } : nil
    }

    private func prefix(_ name: String) -> String {
        ConsoleOutput.prefix(name, colorIndex: colorIndex(of: name))
    }

    /// Starts one child with its output pipes, reader threads and a reaper thread. Called with the lock held.
    private func spawn(_ spec: ChildSpec) throws -> Int32 {
        var environment = ProcessInfo.processInfo.environment
        environment.merge(spec.environment) { _, new in new }
        environment["LYCEUM_PARENT_PID"] = String(getpid())

        let stdoutPipe = try ChildSpawner.makePipe()
        let stderrPipe: (read: Int32, write: Int32)
        do { stderrPipe = try ChildSpawner.makePipe() } catch {
            close(stdoutPipe.read); close(stdoutPipe.write)
            throw error
        }
        let devNull = open("/dev/null", O_RDONLY | O_CLOEXEC)
        let pid: Int32
        do {
            pid = try ChildSpawner.spawn(spec.executable.path, spec.arguments, environment: environment,
                                         stdin: devNull, stdout: stdoutPipe.write, stderr: stderrPipe.write)
        } catch {
            for fd in [devNull, stdoutPipe.read, stdoutPipe.write, stderrPipe.read, stderrPipe.write] where fd >= 0 { close(fd) }
            throw error
        }
        close(devNull)
        close(stdoutPipe.write)
        close(stderrPipe.write)

        let output = DispatchGroup()
        let linePrefix = prefix(spec.name)
        for fd in [stdoutPipe.read, stderrPipe.read] {
            output.enter()
            let prefixer = LinePrefixer(prefix: linePrefix)
            let reader = Thread {
                Self.pump(fd, into: prefixer)
                close(fd)
                output.leave()
            }
            reader.name = "\(spec.name) output"
            reader.start()
        }
        let name = spec.name
        let reaper = Thread { [self] in
            let termination = ChildSpawner.wait(pid)
            childExited(name, pid: pid, termination: termination, output: output)
        }
        reaper.name = "\(spec.name) reaper"
        reaper.start()
        return pid
    }

    private static func pump(_ fd: Int32, into prefixer: LinePrefixer) {
        var buffer = [UInt8](repeating: 0, count: 16_384)
        while true {
            let count = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if count > 0 {
                buffer.withUnsafeBytes { prefixer.append(UnsafeRawBufferPointer(rebasing: $0[0..<count])) }
            } else if count < 0 && errno == EINTR {
                continue
            } else {
                break
            }
        }
        prefixer.finish()
    }

    /// Runs on the child's reaper thread once the child has exited.
    private func childExited(_ name: String, pid: Int32, termination: ChildSpawner.Termination, output: DispatchGroup) {
        // Helpers the child left behind in its process group go with it (they would hold its pipes, ports, ...).
        Self.signalGroup(pid, SIGKILL)
        // Let the readers print the child's last lines before we report the exit.
        _ = output.wait(timeout: .now() + 2)

        let delay = state.withLock { state -> Double? in
            guard var child = state.children[name] else { return nil }
            child.pid = nil
            defer { state.children[name] = child }
            if state.stopping { return nil }
            if Date().timeIntervalSince(child.startedAt) >= Self.stableRunTime {
                child.nextBackoff = Self.initialBackoff
            }
            let delay = child.nextBackoff
            child.nextBackoff = min(child.nextBackoff * 2, Self.maximumBackoff)
            return delay
        }
        if let delay {
            ConsoleOutput.writeLine(prefix(name) + "\(termination); restarting in \(Self.format(delay))")
            scheduleRestart(name, after: delay)
        } else {
            ConsoleOutput.writeLine(prefix(name) + "\(termination)")
        }
    }

    private func scheduleRestart(_ name: String, after delay: Double) {
        DispatchQueue.global().asyncAfter(deadline: .now() + delay) { [self] in
            restart(name)
        }
    }

    private func restart(_ name: String) {
        guard let spec = specs.first(where: { $0.name == name }) else { return }
        let failure = state.withLock { state -> (Error, Double)? in
            guard !state.stopping, var child = state.children[name], child.pid == nil else { return nil }
            defer { state.children[name] = child }
            do {
                child.pid = try spawn(spec)
                child.startedAt = Date()
                child.restarts += 1
                return nil
            } catch {
                let delay = child.nextBackoff
                child.nextBackoff = min(child.nextBackoff * 2, Self.maximumBackoff)
                return (error, delay)
            }
        }
        if let (error, delay) = failure {
            ConsoleOutput.writeLine(prefix(name) + "could not restart: \(error); retrying in \(Self.format(delay))")
            scheduleRestart(name, after: delay)
        }
    }

    /// Signals the child's process group (the child and whatever it forked); falls back to the child
    /// alone if it left its group.
    private static func signalGroup(_ pid: Int32, _ signal: Int32) {
        if kill(-pid, signal) != 0 {
            kill(pid, signal)
        }
    }

    private static func format(_ seconds: Double) -> String {
        seconds == seconds.rounded() ? "\(Int(seconds)) s" : String(format: "%.1f s", seconds)
    }
}

/// A value guarded by an NSLock (Foundation only, so not the Synchronization module's Mutex).
private final class SupervisorState<Value>: @unchecked Sendable {
    private let lock = NSLock()
    private var value: Value

    init(_ value: Value) {
        self.value = value
    }

    func withLock<T>(_ body: (inout Value) throws -> T) rethrows -> T {
        lock.lock()
        defer { lock.unlock() }
        return try body(&value)
    }
}
