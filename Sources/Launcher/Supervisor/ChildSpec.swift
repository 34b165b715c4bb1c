import Foundation

/// One child process the launcher supervises.
struct ChildSpec: Sendable {
    /// Short name used as the output prefix ("[learning] ...") and to look the child up.
    let name: String
    let executable: URL
    let arguments: [String]
    /// Merged over the launcher's own environment; the supervisor adds LYCEUM_PARENT_PID.
    let environment: [String: String]

    init(name: String, executable: URL, arguments: [String] = [], environment: [String: String] = [:]) {
        self.name = name
        self.executable = executable
        self.arguments = arguments
        self.environment = environment
    }
}

/// Why the supervisor could not start a child.
struct SupervisorError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
