internal import CZeroMQ
import Foundation

public struct BusError: Error, CustomStringConvertible, Sendable {
    public let code: Int32
    public let operation: String
    /// Replaces the libzmq error text when the failure is ours rather than libzmq's (a bad key, no CURVE).
    public let reason: String?

    public init(code: Int32, operation: String, reason: String? = nil) {
        self.code = code
        self.operation = operation
        self.reason = reason
    }

    /// Captures `zmq_errno()` right after a failed zmq call.
    static func last(_ operation: String) -> BusError {
        BusError(code: zmq_errno(), operation: operation)
    }

    static func closed(_ operation: String) -> BusError {
        BusError(code: ENOTSOCK, operation: operation)
    }

    static func curveUnsupported(_ operation: String) -> BusError {
        BusError(code: ENOTSUP, operation: operation,
                 reason: "this libzmq was built without CURVE support (zmq_has(\"curve\") is false)")
    }

    public var description: String {
        if let reason { return "\(operation) failed: \(reason)" }
        let reason = zmq_strerror(code).map { String(cString: $0) } ?? "error \(code)"
        return "\(operation) failed: \(reason)"
    }
}

/// A request got no (well-formed) reply within its timeout.
public struct BusTimeout: Error, Sendable {
    public init() {}
}
