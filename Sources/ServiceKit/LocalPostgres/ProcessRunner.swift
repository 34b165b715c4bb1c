import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// The outcome of a finished child process.
public struct ProcessResult: Sendable {
    public let status: Int32
    public let stdout: String
    public let stderr: String

    public init(status: Int32, stdout: String, stderr: String) {
        self.status = status
        self.stdout = stdout
        self.stderr = stderr
    }

    /// `stderr` if it says anything, otherwise `stdout`, trimmed: the text to show when a command fails.
    public var diagnostics: String {
        let err = stderr.trimmingCharacters(in: .whitespacesAndNewlines)
        return err.isEmpty ? stdout.trimmingCharacters(in: .whitespacesAndNewlines) : err
    }
}

/// Runs short-lived commands (initdb, pg_ctl, ...) to completion and captures their output.
public enum ProcessRunner {
    /// Runs to completion, capturing output. Both pipes are read concurrently, so a child writing a lot
    /// to one of them cannot deadlock. `asUser` wraps the command in `runuser -u <user> --` when non-nil
    /// (only root may do that). `environment` is merged over this process's environment.
    /// An `executable` without a slash is looked up on PATH. Standard input is /dev/null.
    /// The status is the exit status, or 128 + N when signal N killed the command.
    /// The child inherits no descriptor but 0-2, so a daemon it starts cannot hold our pipes open.
    public static func run(
        _ executable: String,
        _ arguments: [String],
        asUser: String? = nil,
        environment: [String: String]? = nil,
        currentDirectory: String? = nil
    ) throws -> ProcessResult {
        try run(executable, arguments, asUser: asUser, environment: environment,
                currentDirectory: currentDirectory, input: nil)
    }

    /// Same as the public `run`, with optional bytes fed to the child's standard input.
    static func run(
        _ executable: String,
        _ arguments: [String],
        asUser: String?,
        environment: [String: String]?,
        currentDirectory: String?,
        input: Data?
    ) throws -> ProcessResult {
        var launchPath = try resolveExecutable(executable)
        var launchArguments = arguments
        if let asUser {
            launchArguments = ["-u", asUser, "--", launchPath] + arguments
            do {
                launchPath = try resolveExecutable("runuser", extraDirectories: ["/usr/sbin", "/sbin", "/usr/bin", "/bin"])
            } catch {
                throw LocalPostgresError("running \(executable) as \(asUser) needs `runuser` (util-linux), which was not found")
            }
        }

        var environmentForChild = ProcessInfo.processInfo.environment
        if let environment { environmentForChild.merge(environment) { _, new in new } }
        // The other user may not be allowed into our working directory; "/" always works.
        let directory = currentDirectory ?? (asUser != nil ? "/" : nil)

        let stdoutPipe = try POSIXSpawn.makePipe()
        let stderrPipe: (read: Int32, write: Int32)
        var stdinPipe: (read: Int32, write: Int32)?
        let stdinFD: Int32
        do {
            stderrPipe = try POSIXSpawn.makePipe()
            if input != nil {
                stdinPipe = try POSIXSpawn.makePipe()
                stdinFD = stdinPipe!.read
            } else {
                stdinFD = open("/dev/null", O_RDONLY | O_CLOEXEC)
            }
        } catch {
            close(stdoutPipe.read)
            close(stdoutPipe.write)
            throw error
        }

        let pid: pid_t
        do {
            pid = try POSIXSpawn.spawn(launchPath, launchArguments, environment: environmentForChild,
                                  currentDirectory: directory,
                                  stdin: stdinFD, stdout: stdoutPipe.write, stderr: stderrPipe.write)
        } catch {
            for fd in [stdoutPipe.read, stdoutPipe.write, stderrPipe.read, stderrPipe.write, stdinFD, stdinPipe?.write ?? -1] where fd >= 0 {
                close(fd)
            }
            throw error  // "could not start <path>: <reason>"
        }
        // Our copies of the child's ends: close them so EOF arrives when the child is done.
        close(stdoutPipe.write)
        close(stderrPipe.write)
        close(stdinFD)

        // Dedicated threads, not the shared Dispatch pool: these block in read(2) until the child is done,
        // and a pool saturated by blocked readers could leave a pipe undrained and the child stuck.
        let group = DispatchGroup()
        let stdoutData = DataBox()
        let stderrData = DataBox()
        let outFD = stdoutPipe.read
        let errFD = stderrPipe.read
        func onThread(_ name: String, _ body: @escaping @Sendable () -> Void) {
            group.enter()
            let thread = Thread {
                body()
                group.leave()
            }
            thread.name = name
            thread.start()
        }
        onThread("ProcessRunner stdout") { stdoutData.set(readAll(outFD)) }
        onThread("ProcessRunner stderr") { stderrData.set(readAll(errFD)) }
        if let writeFD = stdinPipe?.write, let input {
            onThread("ProcessRunner stdin") {
                writeAll(writeFD, input)
                close(writeFD)
            }
        }

        let status = POSIXSpawn.wait(pid)
        group.wait()
        close(outFD)
        close(errFD)
        return ProcessResult(
            status: status,
            stdout: String(decoding: stdoutData.get(), as: UTF8.self),
            stderr: String(decoding: stderrData.get(), as: UTF8.self)
        )
    }

    /// `path` if it contains a slash; otherwise the first executable match on PATH (then `extraDirectories`).
    static func resolveExecutable(_ name: String, extraDirectories: [String] = []) throws -> String {
        if name.contains("/") { return name }
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin"
        let directories = path.split(separator: ":").map(String.init) + extraDirectories
        for directory in directories where !directory.isEmpty {
            let candidate = (directory as NSString).appendingPathComponent(name)
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        throw LocalPostgresError("`\(name)` was not found on PATH (\(path))")
    }

    static func commandLine(_ executable: String, _ arguments: [String]) -> String {
        ([executable] + arguments).map { argument in
            argument.isEmpty || argument.contains(where: { " \"'$\\".contains($0) })
                ? "'" + argument.replacingOccurrences(of: "'", with: "'\\''") + "'" : argument
        }.joined(separator: " ")
    }

    private static func readAll(_ fd: Int32) -> Data {
        var result = Data()
        var buffer = [UInt8](repeating: 0, count: 65_536)
        while true {
            let count = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if count > 0 {
                result.append(contentsOf: buffer[0..<count])
            } else if count < 0 && errno == EINTR {
                continue
            } else {
                return result
            }
        }
    }

    private static func writeAll(_ fd: Int32, _ data: Data) {
        // A child that exits without reading its input must not kill us with SIGPIPE: block the signal on
        // this thread, and swallow it if the write raised it (the write then fails with EPIPE instead).
        var pipeSignal = sigset_t()
        sigemptyset(&pipeSignal)
        sigaddset(&pipeSignal, SIGPIPE)
        var previous = sigset_t()
        pthread_sigmask(SIG_BLOCK, &pipeSignal, &previous)
        defer {
            var zero = timespec(tv_sec: 0, tv_nsec: 0)
            while sigtimedwait(&pipeSignal, nil, &zero) == SIGPIPE {}
            pthread_sigmask(SIG_SETMASK, &previous, nil)
        }
        data.withUnsafeBytes { raw in
            guard var pointer = raw.baseAddress else { return }
            var remaining = raw.count
            while remaining > 0 {
                let written = write(fd, pointer, remaining)
                if written < 0 {
                    if errno == EINTR { continue }
                    return  // EPIPE: the child stopped reading
                }
                pointer += written
                remaining -= written
            }
        }
    }
}

/// A lock-protected byte buffer shared between a reader thread and the caller.
private final class DataBox: @unchecked Sendable {
    private let lock = NSLock()
    private var data = Data()
    func set(_ value: Data) { lock.lock(); data = value; lock.unlock() }
    func get() -> Data { lock.lock(); defer { lock.unlock() }; return data }
}
