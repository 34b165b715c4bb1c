internal import CZeroMQ
import Foundation

/// ZMQ_SUB with one receive thread; `messages` finishes on close or context shutdown.
public final class SubscriberSocket: Sendable {
    public let messages: AsyncStream<[Data]>
    private let context: BusContext
    private let thread: SocketThread

    /// Subscribes to every prefix in `prefixes`; "" selects all messages. With `curve`, every endpoint
    /// must be a CURVE publisher holding `curve.serverPublicKey`'s secret.
    public init(
        context: BusContext, connect endpoints: [String], prefixes: [String], curve: CurveClient? = nil
    ) throws {
        let socket = try Frames.openSocket(context, type: ZMQ_SUB, name: "SUB")
        do {
            try Frames.setOption(socket, ZMQ_RCVHWM, 100_000, "ZMQ_RCVHWM")
            try curve?.apply(to: socket)
            for prefix in prefixes {
                try Frames.setOption(socket, ZMQ_SUBSCRIBE, bytes: Array(prefix.utf8), "ZMQ_SUBSCRIBE(\(prefix))")
            }
            for endpoint in endpoints {
                try Frames.connect(socket, endpoint)
            }
        } catch {
            zmq_close(socket.pointer)
            throw error
        }
        let (stream, continuation) = AsyncStream.makeStream(
            of: [Data].self, bufferingPolicy: .bufferingOldest(Frames.streamBufferLimit)
        )
        messages = stream
        self.context = context
        thread = try SocketThread(
            socket: socket, name: "sub", context: context,
            onMessage: { continuation.yield($0) },
            onFinish: { continuation.finish() }
        )
    }

    /// Idempotent; waits for the receive thread to exit.
    public func close() {
        thread.close()
    }
}
