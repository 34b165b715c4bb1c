import Foundation
import ServiceKit
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// A child process started with `POSIXSpawn`, its output in a file. Foundation's `Process.run()`
/// crashes now and then on Linux (swift-corelibs-foundation #5472: it over-reads `/proc/self/fd`
/// entries, which a test process with many sockets open hits), so the system tests do not use it.
final class SpawnedProcess: Sendable {
    let pid: pid_t
    private let exit = Mutex<Int32?>(nil)

    /// Starts `path` with standard input from /dev/null, standard output appended to `output` and
    /// standard error to `errors` (default: the same file); nil discards.
    init(_ path: String, _ arguments: [String], environment: [String: String], output: URL?, errors: URL? = nil) throws {
        func sink(_ file: URL?) -> Int32 {
            file.map { open($0.path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o644) } ?? open("/dev/null", O_WRONLY | O_CLOEXEC)
        }
        let out = sink(output), err = sink(errors ?? output), input = open("/dev/null", O_RDONLY | O_CLOEXEC)
        defer {
            close(out)
            close(err)
            close(input)
        }
        pid = try POSIXSpawn.spawn(path, arguments, environment: environment, currentDirectory: nil, stdin: input, stdout: out, stderr: err)
    }

    /// Whether it still runs; reaps it (and keeps its status) once it has ended.
    var isRunning: Bool {
        exit.withLock { exit in
            guard exit == nil else { return false }
            var status: Int32 = 0
            guard waitpid(pid, &status, WNOHANG) == pid else { return true }
            let signal = status & 0x7f
            exit = signal == 0 ? (status >> 8) & 0xff : 128 + signal
            return false
        }
    }

    /// The exit status (128 + signal for a killed process), nil while it runs.
    var terminationStatus: Int32? { isRunning ? nil : exit.withLock { $0 } }

    func kill(_ signal: Int32 = SIGKILL) {
        if isRunning { _ = Glibc.kill(pid, signal) }
    }

    /// Blocks until it ends; its exit status.
    @discardableResult
    func waitUntilExit() -> Int32 {
        while isRunning { usleep(10_000) }
        return exit.withLock { $0 } ?? -1
    }
}
