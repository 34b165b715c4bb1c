internal import CZeroMQ
import Foundation

/// Answers libzmq's authentication requests (ZAP, RFC 27) for one context. libzmq looks for a socket
/// bound to `inproc://zeromq.zap.01` in the same context and asks it about every CURVE handshake.
/// A ROUTER rather than a REP, so the generic socket thread never meets REP's strict send/receive turns;
/// libzmq writes the empty delimiter frame itself, exactly as a REQ would.
final class ZAPHandler: Sendable {
    static let endpoint = "inproc://zeromq.zap.01"

    let policy: ZAPPolicy
    private let thread: SocketThread

    init(context: BusContext) throws {
        let socket = try Frames.openSocket(context, type: ZMQ_ROUTER, name: "ZAP")
        do {
            try Frames.bind(socket, Self.endpoint)
        } catch {
            zmq_close(socket.pointer)
            throw error
        }
        let policy = ZAPPolicy(logger: context.logger)
        let replies = ReplyPath()
        thread = try SocketThread(
            socket: socket, name: "zap", context: context,
            onMessage: { request in
                if let reply = policy.reply(to: request) { replies.send(reply) }
            },
            onFinish: { replies.finish() }
        )
        replies.attach(thread)
        self.policy = policy
    }
}

/// Lets the socket thread's own message callback queue replies on the thread that delivers it;
/// replies produced before the thread object exists wait here.
private final class ReplyPath: Sendable {
    private enum State {
        case waiting([[Data]])
        case attached(SocketThread)
        case finished
    }

    private let state = Locked(State.waiting([]))

    func send(_ reply: [Data]) {
        let thread: SocketThread? = state.withLock { state in
            switch state {
            case .waiting(let queued):
                state = .waiting(queued + [reply])
                return nil
            case .attached(let thread):
                return thread
            case .finished:
                return nil
            }
        }
        try? thread?.send(reply)
    }

    func attach(_ thread: SocketThread) {
        let queued: [[Data]] = state.withLock { state in
            guard case .waiting(let queued) = state else { return [] }
            state = .attached(thread)
            return queued
        }
        for reply in queued {
            try? thread.send(reply)
        }
    }

    /// Drops the thread reference, which the thread's own callback would otherwise keep alive.
    func finish() {
        state.withLock { $0 = .finished }
    }
}
