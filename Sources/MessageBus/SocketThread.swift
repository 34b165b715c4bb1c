internal import CZeroMQ
import Foundation
import Logging

/// The one thread that owns a receiving zmq socket: it polls the socket and a wakeup eventfd,
/// hands received messages to `onMessage`, performs sends queued by other tasks, and on stop
/// (close, context shutdown) closes the socket and calls `onFinish`.
final class SocketThread: BusResource {
    private let shared: Shared
    private let thread: NativeThread
    private let registry: SocketRegistry

    /// Takes ownership of `socket`: it is closed on every path, including a thrown error.
    /// A queued message for which `isStale` holds when its turn comes is dropped instead of sent.
    init(
        socket: ZMQHandle,
        name: String,
        context: BusContext,
        onMessage: @escaping @Sendable ([Data]) -> Void,
        onFinish: @escaping @Sendable () -> Void,
        isStale: @escaping @Sendable ([Data]) -> Bool = { _ in false }
    ) throws {
        let wakeup: Wakeup
        do {
            wakeup = try Wakeup()
        } catch {
            zmq_close(socket.pointer)
            onFinish()
            throw error
        }
        let shared = Shared(wakeup: wakeup)
        let loop = Loop(
            socket: socket, name: name, shared: shared, logger: context.logger,
            onMessage: onMessage, onFinish: onFinish, isStale: isStale
        )
        do {
            thread = try NativeThread.spawn(name: "bus-\(name)") { loop.run() }
        } catch {
            zmq_close(socket.pointer)
            onFinish()
            throw error
        }
        self.shared = shared
        registry = context.registry
        try registry.register(self)
    }

    /// Queues a message for the socket thread; never blocks.
    func send(_ frames: [Data]) throws {
        if frames.isEmpty {
            throw BusError(code: EINVAL, operation: "send of a message without frames")
        }
        try shared.enqueue(frames)
        shared.wakeup.signal()
    }

    /// Idempotent; returns once the thread has closed the socket and exited.
    func close() {
        guard shared.requestStop() else { return }
        shared.wakeup.signal()
        thread.joinOrDetach()
        registry.unregister(self)
    }
}

extension SocketThread {
    fileprivate final class Shared: Sendable {
        let wakeup: Wakeup
        private let state = Locked(State())

        private struct State {
            var outbox: [[Data]] = []
            var stopRequested = false
            var accepting = true
        }

        init(wakeup: Wakeup) {
            self.wakeup = wakeup
        }

        func enqueue(_ frames: [Data]) throws {
            try state.withLock { state in
                guard state.accepting else {
                    throw BusError.closed("send on a closed socket")
                }
                guard state.outbox.count < Frames.maxQueuedMessages else {
                    throw BusError(code: EAGAIN, operation: "send (outgoing queue full)")
                }
                state.outbox.append(frames)
            }
        }

        func takeOutbox() -> [[Data]] {
            state.withLock { state in
                var taken: [[Data]] = []
                swap(&taken, &state.outbox)
                return taken
            }
        }

        /// True for the one caller that must join the thread.
        func requestStop() -> Bool {
            state.withLock { state in
                state.accepting = false
                if state.stopRequested { return false }
                state.stopRequested = true
                return true
            }
        }

        var isStopRequested: Bool {
            state.withLock { $0.stopRequested }
        }

        func stopAccepting() {
            state.withLock { state in
                state.accepting = false
                state.outbox = []
            }
        }
    }

    fileprivate struct Loop: Sendable {
        let socket: ZMQHandle
        let name: String
        let shared: Shared
        let logger: Logger
        let onMessage: @Sendable ([Data]) -> Void
        let onFinish: @Sendable () -> Void
        let isStale: @Sendable ([Data]) -> Bool

        private static let receiveBatch = 256

        func run() {
            let message = UnsafeMutablePointer<zmq_msg_t>.allocate(capacity: 1)
            defer {
                message.deallocate()
                shared.stopAccepting()
                zmq_close(socket.pointer)
                onFinish()
            }
            var outgoing = Outgoing()
            var items = [zmq_pollitem_t](repeating: zmq_pollitem_t(), count: 2)
            while true {
                let events = ZMQ_POLLIN | (outgoing.hasPending ? ZMQ_POLLOUT : 0)
                items[0] = zmq_pollitem_t(socket: socket.pointer, fd: 0, events: Int16(events), revents: 0)
                items[1] = zmq_pollitem_t(socket: nil, fd: shared.wakeup.fd, events: Int16(ZMQ_POLLIN), revents: 0)
                if zmq_poll(&items, 2, -1) < 0 {
                    let code = zmq_errno()
                    if code == EINTR { continue }
                    if code != ETERM {
                        logger.error("zmq_poll failed on \(name) socket: \(BusError(code: code, operation: "zmq_poll"))")
                    }
                    return
                }
                if items[1].revents != 0 {
                    shared.wakeup.drain()
                    if shared.isStopRequested { return }
                }
                if !flush(&outgoing) { return }
                if items[0].revents & Int16(ZMQ_POLLIN) != 0 && !receiveBatch(message) { return }
            }
        }

        /// Sends until the queue is empty or the socket would block. False once the context is terminated.
        private func flush(_ outgoing: inout Outgoing) -> Bool {
            while true {
                guard let frames = outgoing.peek(refill: shared) else { return true }
                if isStale(frames) {
                    outgoing.advance()
                    continue
                }
                switch Frames.send(socket, frames, dontWait: true) {
                case .sent:
                    outgoing.advance()
                case .wouldBlock:
                    return true
                case .failed(let error):
                    if error.code == ETERM { return false }
                    logger.warning("dropped an outgoing message on \(name) socket: \(error)")
                    outgoing.advance()
                }
            }
        }

        /// False once the context is terminated.
        private func receiveBatch(_ message: UnsafeMutablePointer<zmq_msg_t>) -> Bool {
            for _ in 0..<Self.receiveBatch {
                switch Frames.receive(socket, into: message) {
                case .message(let frames):
                    onMessage(frames)
                case .wouldBlock:
                    return true
                case .failed(let error):
                    if error.code == ETERM { return false }
                    logger.warning("receive failed on \(name) socket: \(error)")
                    return true
                }
            }
            return true
        }
    }

    /// Messages taken from the shared outbox that the socket has not accepted yet.
    private struct Outgoing {
        private var messages: [[Data]] = []
        private var next = 0

        var hasPending: Bool { next < messages.count }

        mutating func peek(refill shared: Shared) -> [Data]? {
            if next >= messages.count {
                messages = shared.takeOutbox()
                next = 0
            }
            return next < messages.count ? messages[next] : nil
        }

        mutating func advance() {
            next += 1
        }
    }
}
