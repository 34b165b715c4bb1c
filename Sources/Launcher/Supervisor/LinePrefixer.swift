import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// The launcher's standard output, shared by every child's output and the launcher's own messages.
/// Each call writes whole lines with one lock held, so lines never interleave.
enum ConsoleOutput {
    private static let lock = NSLock()

    /// Writes `text` (one or more complete lines) to standard output.
    static func write(_ text: String) {
        var bytes = Array(text.utf8)
        lock.lock()
        defer { lock.unlock() }
        bytes.withUnsafeMutableBytes { raw in
            guard var pointer = raw.baseAddress else { return }
            var remaining = raw.count
            while remaining > 0 {
                let written = Glibc.write(STDOUT_FILENO, pointer, remaining)
                if written < 0 {
                    if errno == EINTR { continue }
                    if errno == EAGAIN { usleep(1_000); continue }
                    return  // stdout closed: drop the output rather than die
                }
                pointer += written
                remaining -= written
            }
        }
    }

    /// Writes one line, adding the newline.
    static func writeLine(_ line: String) {
        write(line + "\n")
    }

    /// "[name] " — coloured with a per-child ANSI colour when `colorIndex` is given.
    static func prefix(_ name: String, colorIndex: Int?) -> String {
        guard let colorIndex else { return "[\(name)] " }
        let palette = [36, 33, 35, 32, 34, 96, 93, 95, 92, 94]
        let code = palette[colorIndex % palette.count]
        return "\u{1B}[\(code)m[\(name)]\u{1B}[0m "
    }

    /// Whether standard output is a terminal (the launcher colours output only then).
    static var isTerminal: Bool { isatty(STDOUT_FILENO) == 1 }
}

/// Splits a byte stream into lines and writes each as `prefix + line` through `ConsoleOutput`.
/// A partial last line is kept until more bytes arrive or `finish()` flushes it; a line longer than
/// 64 KiB is written in pieces. One instance per pipe (stdout and stderr have their own).
final class LinePrefixer: @unchecked Sendable {
    private let prefix: String
    private let lock = NSLock()
    private var pending: [UInt8] = []
    private static let maximumLine = 65_536

    init(prefix: String) {
        self.prefix = prefix
    }

    func append(_ bytes: UnsafeRawBufferPointer) {
        lock.lock()
        defer { lock.unlock() }
        pending.append(contentsOf: bytes)
        var output = ""
        var lineStart = 0
        while let newline = pending[lineStart...].firstIndex(of: UInt8(ascii: "\n")) {
            output += render(pending[lineStart..<newline])
            lineStart = newline + 1
        }
        pending.removeFirst(lineStart)
        while pending.count >= Self.maximumLine {
            output += render(pending[0..<Self.maximumLine])
            pending.removeFirst(Self.maximumLine)
        }
        if !output.isEmpty { ConsoleOutput.write(output) }
    }

    /// Flushes a partial last line (the stream ended without a newline).
    func finish() {
        lock.lock()
        defer { lock.unlock() }
        if !pending.isEmpty {
            ConsoleOutput.write(render(pending[...]))
            pending.removeAll()
        }
    }

    private func render(_ line: ArraySlice<UInt8>) -> String {
        var line = line
        if line.last == UInt8(ascii: "\r") { line = line.dropLast() }
        return prefix + String(decoding: line, as: UTF8.self) + "\n"
    }
}
