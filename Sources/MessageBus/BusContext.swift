internal import CZeroMQ
import Foundation
import Logging

/// Owns one libzmq context and, through its registry, every socket opened on it.
public final class BusContext: Sendable {
    let handle: ZMQHandle
    let logger: Logger
    let registry = SocketRegistry()
    private let authentication = Locked<ZAPHandler?>(nil)

    public init(logger: Logger = Logger(label: "MessageBus")) throws {
        guard let pointer = zmq_ctx_new() else {
            throw BusError.last("zmq_ctx_new")
        }
        handle = ZMQHandle(pointer: pointer)
        self.logger = logger
    }

    /// Starts this context's ZAP handler (its own thread, stopped by `shutdown`) on the first call and adds
    /// `allowedClientKeys` (Z85 public keys) to the clients every CURVE server socket of this context accepts.
    /// Sockets created with a `CurveServer` call this themselves before they bind.
    public func enableAuthentication(allowedClientKeys: Set<String>) throws {
        let operation = "enableAuthentication(allowedClientKeys:)"
        guard CurveKeyPair.isSupported else { throw BusError.curveUnsupported(operation) }
        if let invalid = allowedClientKeys.first(where: { !CurveKeyPair.isValidKey($0) }) {
            throw BusError(code: EINVAL, operation: operation,
                           reason: "allowed client key \"\(invalid)\" \(Z85.invalidKeyReason)")
        }
        try authentication.withLock { handler in
            let started = try handler ?? ZAPHandler(context: self)
            started.policy.allow(allowedClientKeys)
            handler = started
        }
    }

    /// CURVE handshakes the ZAP handler refused since it started.
    public var authenticationRejections: Int {
        authentication.withLock { $0?.policy.rejections ?? 0 }
    }

    /// Idempotent. Unblocks every socket thread (zmq_ctx_shutdown), waits for them to exit, closes sockets, terminates the context.
    public func shutdown() {
        guard let open = registry.beginShutdown() else { return }
        zmq_ctx_shutdown(handle.pointer)
        for resource in open {
            resource.close()
        }
        while zmq_ctx_term(handle.pointer) != 0 && zmq_errno() == EINTR {}
    }

    deinit {
        shutdown()
    }
}

/// Something a context must close before `zmq_ctx_term`, or that call would block forever.
protocol BusResource: AnyObject, Sendable {
    func close()
}

/// Kept apart from `BusContext` so socket threads never hold the context itself alive.
final class SocketRegistry: Sendable {
    private struct State {
        var isShutDown = false
        var open: [ObjectIdentifier: any BusResource] = [:]
    }

    private let state = Locked(State())

    /// Fails once shutdown has begun, so no socket can outlive `zmq_ctx_term`.
    func register(_ resource: any BusResource) throws {
        let accepted = state.withLock { state in
            if state.isShutDown { return false }
            state.open[ObjectIdentifier(resource)] = resource
            return true
        }
        if !accepted {
            resource.close()
            throw BusError(code: ETERM, operation: "open socket on a shut-down context")
        }
    }

    func unregister(_ resource: any BusResource) {
        _ = state.withLock { state in
            state.open.removeValue(forKey: ObjectIdentifier(resource))
        }
    }

    /// Returns the open resources the first time, nil afterwards.
    func beginShutdown() -> [any BusResource]? {
        state.withLock { state in
            if state.isShutDown { return nil }
            state.isShutDown = true
            defer { state.open = [:] }
            return Array(state.open.values)
        }
    }
}
