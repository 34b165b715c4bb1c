import Foundation
import ServiceKit
#if canImport(Glibc)
import Glibc
#endif

/// posix_spawn for supervised children. Not Foundation.Process, because on Linux it
/// - learns of a child's exit through a socket the child inherits, so a grandchild that outlives a crashed
///   child (`sh -c 'app; sleep 100'`, a helper a service forks) hides the crash and blocks the restart;
/// - passes on our ignored SIGINT/SIGTERM/SIGHUP (ShutdownSignals ignores them), so a plain child
///   could not be stopped with SIGTERM.
/// Here each child gets default signal dispositions, an empty signal mask, its own process group (so
/// the supervisor can signal the child's whole tree, and Ctrl-C in the terminal reaches only the
/// launcher), no descriptors but 0-2, and is reaped by the caller with `wait(_:)`.
enum ChildSpawner {
    static func spawn(
        _ path: String,
        _ arguments: [String],
        environment: [String: String],
        stdin: Int32, stdout: Int32, stderr: Int32
    ) throws -> pid_t {
        try POSIXSpawn.spawn(path, arguments, environment: environment, currentDirectory: nil,
                             stdin: stdin, stdout: stdout, stderr: stderr, newProcessGroup: true)
    }

    /// How a child ended.
    enum Termination: Sendable, CustomStringConvertible {
        case exited(Int32)
        case signalled(Int32)

        var description: String {
            switch self {
            case .exited(let status): return "exited with status \(status)"
            case .signalled(let signal): return "killed by signal \(signal)\(ChildSpawner.signalName(signal).map { " (\($0))" } ?? "")"
            }
        }
    }

    /// Blocks until `pid` exits and reaps it.
    static func wait(_ pid: pid_t) -> Termination {
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 {
            if errno != EINTR { return .exited(-1) }
        }
        let signal = status & 0x7f
        return signal == 0 ? .exited((status >> 8) & 0xff) : .signalled(signal)
    }

    static func makePipe() throws -> (read: Int32, write: Int32) {
        try POSIXSpawn.makePipe()
    }

    static func signalName(_ signal: Int32) -> String? {
        switch signal {
        case SIGHUP: return "SIGHUP"
        case SIGINT: return "SIGINT"
        case SIGQUIT: return "SIGQUIT"
        case SIGILL: return "SIGILL"
        case SIGTRAP: return "SIGTRAP"
        case SIGABRT: return "SIGABRT"
        case SIGBUS: return "SIGBUS"
        case SIGFPE: return "SIGFPE"
        case SIGKILL: return "SIGKILL"
        case SIGSEGV: return "SIGSEGV"
        case SIGPIPE: return "SIGPIPE"
        case SIGTERM: return "SIGTERM"
        default: return nil
        }
    }
}
