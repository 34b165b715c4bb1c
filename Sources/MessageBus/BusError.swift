internal import CZeroMQ
import Foundation

public struct BusError: Error, CustomStringConvertible, Sendable {
    public let code: Int32
    public let operation: String

    public init(code: Int32, operation: String) {
        self.code = code
        self.operation = operation
    }

    /// Captures `zmq_errno()` right after a failed zmq call.
    static func last(_ operation: String) -> BusError {
        BusError(code: zmq_errno(), operation: operation)
    }

    static func closed(_ operation: String) -> BusError {
        BusError(code: ENOTSOCK, operation: operation)
    }

    public var description: String {
        let reason = zmq_strerror(code).map { String(cString: $0) } ?? "error \(code)"
        return "\(operation) failed: \(reason)"
    }
}

/// A request got no (well-formed) reply within its timeout.
public struct BusTimeout: Error, Sendable {
    public init() {}
}
