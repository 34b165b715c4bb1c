import Foundation

/// Why the local PostgreSQL cluster could not be found, created, started or stopped.
/// The description is meant for people: it names the failing command and includes its output.
public struct LocalPostgresError: Error, CustomStringConvertible, Sendable {
    public let description: String

    public init(_ description: String) {
        self.description = description
    }

    /// PostgreSQL server programs are missing.
    public static func notInstalled(_ detail: String) -> LocalPostgresError {
        LocalPostgresError(detail)
    }

    /// A command exited non-zero; includes its stderr (or stdout when stderr is empty).
    static func commandFailed(_ what: String, command: String, result: ProcessResult, logTail: String? = nil) -> LocalPostgresError {
        var text = "\(what) failed (exit status \(result.status)): \(command)"
        let output = result.diagnostics
        if !output.isEmpty { text += "\n--- output ---\n" + output }
        if let logTail, !logTail.isEmpty { text += "\n--- server log (tail) ---\n" + logTail }
        return LocalPostgresError(text)
    }
}
