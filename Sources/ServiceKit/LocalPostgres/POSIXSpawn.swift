import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// posix_spawn with the hygiene Foundation.Process lacks on Linux:
/// - every descriptor but 0, 1 and 2 is closed in the child, so a daemon started through us (the
///   postmaster, via pg_ctl) keeps none of our pipes or sockets open;
/// - the child gets default signal dispositions and an empty signal mask even when we ignore SIGINT/SIGTERM;
/// - the caller reaps the child with `wait(_:)` (Foundation.Process learns of an exit from a socket the
///   child inherits, so it never notices the exit of pg_ctl while the postmaster it started lives on).
public enum POSIXSpawn {
    /// Starts `path` with `arguments` (argv[0] is `path`) and the given standard descriptors.
    public static func spawn(
        _ path: String,
        _ arguments: [String],
        environment: [String: String],
        currentDirectory: String?,
        stdin: Int32, stdout: Int32, stderr: Int32,
        newProcessGroup: Bool = false
    ) throws -> pid_t {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }

        var executable = path
        var argv = [path] + arguments
        try check(posix_spawn_file_actions_adddup2(&actions, stdin, 0), "dup2 stdin")
        try check(posix_spawn_file_actions_adddup2(&actions, stdout, 1), "dup2 stdout")
        try check(posix_spawn_file_actions_adddup2(&actions, stderr, 2), "dup2 stderr")
        if let closeFrom = GNUExtensions.addCloseFrom {
            try check(closeFrom(&actions, 3), "closefrom")
        } else {
            for fd in openDescriptors() where fd > 2 {
                posix_spawn_file_actions_addclose(&actions, fd)  // EBADF at spawn time is ignored by glibc
            }
        }
        if let currentDirectory {
            if let addChdir = GNUExtensions.addChdir {
                try check(addChdir(&actions, currentDirectory), "chdir \(currentDirectory)")
            } else {
                executable = "/bin/sh"
                argv = ["/bin/sh", "-c", "cd -- \"$0\" && exec \"$@\"", currentDirectory, path] + arguments
            }
        }

        var flags = Int32(POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK)
        if newProcessGroup {
            flags |= Int32(POSIX_SPAWN_SETPGROUP)
            posix_spawnattr_setpgroup(&attributes, 0)
        }
        var allSignals = sigset_t()
        sigfillset(&allSignals)
        posix_spawnattr_setsigdefault(&attributes, &allSignals)
        var noSignals = sigset_t()
        sigemptyset(&noSignals)
        posix_spawnattr_setsigmask(&attributes, &noSignals)
        posix_spawnattr_setflags(&attributes, Int16(flags))

        let cArguments = argv.map { strdup($0) } + [nil]
        let cEnvironment = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer {
            cArguments.forEach { free($0) }
            cEnvironment.forEach { free($0) }
        }
        var pid = pid_t()
        let result = cArguments.withUnsafeBufferPointer { argvPointer in
            cEnvironment.withUnsafeBufferPointer { envPointer in
                posix_spawn(&pid, executable, &actions, &attributes,
                            argvPointer.baseAddress!, envPointer.baseAddress!)
            }
        }
        guard result == 0 else {
            throw LocalPostgresError("could not start \(path): \(String(cString: strerror(result)))")
        }
        return pid
    }

    /// Blocks until `pid` exits; returns its exit status, or 128 + signal number when a signal killed it.
    public static func wait(_ pid: pid_t) -> Int32 {
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 {
            if errno != EINTR { return -1 }
        }
        let signal = status & 0x7f
        return signal == 0 ? (status >> 8) & 0xff : 128 + signal
    }

    /// A pipe whose both ends are close-on-exec (the child's copy made by dup2 is not).
    public static func makePipe() throws -> (read: Int32, write: Int32) {
        var fds: [Int32] = [-1, -1]
        if let pipe2 = GNUExtensions.pipe2 {
            guard pipe2(&fds, O_CLOEXEC) == 0 else { throw LocalPostgresError("pipe2 failed: \(String(cString: strerror(errno)))") }
        } else {
            guard pipe(&fds) == 0 else { throw LocalPostgresError("pipe failed: \(String(cString: strerror(errno)))") }
            _ = fcntl(fds[0], F_SETFD, FD_CLOEXEC)
            _ = fcntl(fds[1], F_SETFD, FD_CLOEXEC)
        }
        return (fds[0], fds[1])
    }

    private static func check(_ result: Int32, _ what: String) throws {
        guard result == 0 else { throw LocalPostgresError("posix_spawn setup (\(what)) failed: \(String(cString: strerror(result)))") }
    }

    private static func openDescriptors() -> [Int32] {
        ((try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd")) ?? []).compactMap { Int32($0) }
    }
}

/// glibc functions the Glibc module does not export (they need _GNU_SOURCE), looked up at run time.
private enum GNUExtensions {
    typealias AddCloseFrom = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32
    typealias AddChdir = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, UnsafePointer<CChar>) -> Int32
    typealias Pipe2 = @convention(c) (UnsafeMutablePointer<Int32>, Int32) -> Int32

    static let addCloseFrom: AddCloseFrom? = symbol("posix_spawn_file_actions_addclosefrom_np")
    static let addChdir: AddChdir? = symbol("posix_spawn_file_actions_addchdir_np")
    static let pipe2: Pipe2? = symbol("pipe2")

    private static func symbol<T>(_ name: String) -> T? {
        guard let pointer = dlsym(nil, name) else { return nil }  // nil handle = RTLD_DEFAULT
        return unsafeBitCast(pointer, to: T.self)
    }
}
