internal import CZeroMQ
import Foundation

/// ZMQ_PUB. No thread of its own: senders take turns under a mutex, and PUB never blocks
/// (it drops messages for a subscriber that reached the high-water mark).
public final class PublisherSocket: Sendable {
    public let endpoint: String
    private let context: BusContext
    private let core: Core

    /// With `curve`, only subscribers holding an allowed client key connect, and traffic is encrypted.
    public init(
        context: BusContext, bind endpoint: String, highWaterMark: Int32 = 100_000, curve: CurveServer? = nil
    ) throws {
        let socket = try Frames.openSocket(context, type: ZMQ_PUB, name: "PUB")
        do {
            try Frames.setOption(socket, ZMQ_SNDHWM, highWaterMark, "ZMQ_SNDHWM")
            try curve?.apply(to: socket, context: context)
            try Frames.bind(socket, endpoint)
            self.endpoint = try Frames.lastEndpoint(socket)
        } catch {
            zmq_close(socket.pointer)
            throw error
        }
        self.context = context
        core = Core(socket: socket, registry: context.registry)
        try context.registry.register(core)
    }

    /// Thread-safe; sends `frames` as one multipart message.
    public func send(_ frames: [Data]) throws {
        try core.send(frames)
    }

    /// Idempotent.
    public func close() {
        core.close()
    }

    private final class Core: BusResource {
        private let socket: Locked<ZMQHandle?>
        private let registry: SocketRegistry

        init(socket: ZMQHandle, registry: SocketRegistry) {
            self.socket = Locked(socket)
            self.registry = registry
        }

        func send(_ frames: [Data]) throws {
            if frames.isEmpty {
                throw BusError(code: EINVAL, operation: "send of a message without frames")
            }
            try socket.withLock { socket in
                guard let socket else {
                    throw BusError.closed("send on a closed socket")
                }
                if case .failed(let error) = Frames.send(socket, frames, dontWait: false) {
                    throw error
                }
            }
        }

        func close() {
            let wasOpen = socket.withLock { socket in
                guard let open = socket else { return false }
                zmq_close(open.pointer)
                socket = nil
                return true
            }
            if wasOpen {
                registry.unregister(self)
            }
        }
    }
}
