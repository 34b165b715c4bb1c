internal import CZeroMQ
import Foundation

public struct RoutedMessage: Sendable {
    /// The peer's routing id: pass it to `RouterSocket.send(to:_:)` to answer.
    public let identity: Data
    public let frames: [Data]

    public init(identity: Data, frames: [Data]) {
        self.identity = identity
        self.frames = frames
    }
}

/// ZMQ_ROUTER with one thread that receives and performs queued sends.
public final class RouterSocket: Sendable {
    public let endpoint: String
    public let messages: AsyncStream<RoutedMessage>
    private let context: BusContext
    private let thread: SocketThread

    public init(context: BusContext, bind endpoint: String, curve: CurveServer? = nil) throws {
        let socket = try Frames.openSocket(context, type: ZMQ_ROUTER, name: "ROUTER")
        do {
            try curve?.apply(to: socket, context: context)
            try Frames.bind(socket, endpoint)
            self.endpoint = try Frames.lastEndpoint(socket)
        } catch {
            zmq_close(socket.pointer)
            throw error
        }
        let (stream, continuation) = AsyncStream.makeStream(
            of: RoutedMessage.self, bufferingPolicy: .bufferingOldest(Frames.streamBufferLimit)
        )
        messages = stream
        self.context = context
        let logger = context.logger
        thread = try SocketThread(
            socket: socket, name: "router", context: context,
            onMessage: { frames in
                guard frames.count >= 2, let identity = frames.first else {
                    logger.warning("dropped a ROUTER message with \(frames.count) frame(s)")
                    return
                }
                continuation.yield(RoutedMessage(identity: identity, frames: Array(frames.dropFirst())))
            },
            onFinish: { continuation.finish() }
        )
    }

    /// Callable from any task; a message to an unknown or disconnected peer is dropped by ZeroMQ.
    public func send(to identity: Data, _ frames: [Data]) throws {
        try thread.send([identity] + frames)
    }

    public func close() {
        thread.close()
    }
}

/// ZMQ_DEALER with one thread that receives and performs queued sends.
public final class DealerSocket: Sendable {
    public let messages: AsyncStream<[Data]>
    private let context: BusContext
    private let thread: SocketThread

    public init(context: BusContext, connect endpoint: String, curve: CurveClient? = nil) throws {
        let (stream, continuation) = AsyncStream.makeStream(
            of: [Data].self, bufferingPolicy: .bufferingOldest(Frames.streamBufferLimit)
        )
        messages = stream
        self.context = context
        thread = try DealerSocket.open(
            context: context, endpoints: [endpoint], curve: curve, immediate: false,
            onMessage: { continuation.yield($0) },
            onFinish: { continuation.finish() }
        )
    }

    /// `immediate` (ZMQ_IMMEDIATE) queues outgoing messages only to peers whose connection completed,
    /// so an unreachable endpoint among several takes none; with no peer at all they wait in the outbox.
    static func open(
        context: BusContext,
        endpoints: [String],
        curve: CurveClient?,
        immediate: Bool,
        onMessage: @escaping @Sendable ([Data]) -> Void,
        onFinish: @escaping @Sendable () -> Void,
        isStale: @escaping @Sendable ([Data]) -> Bool = { _ in false }
    ) throws -> SocketThread {
        let socket: ZMQHandle
        do {
            socket = try Frames.openSocket(context, type: ZMQ_DEALER, name: "DEALER")
        } catch {
            onFinish()
            throw error
        }
        do {
            if immediate {
                try Frames.setOption(socket, ZMQ_IMMEDIATE, Int32(1), "ZMQ_IMMEDIATE")
            }
            try curve?.apply(to: socket)
            for endpoint in endpoints {
                try Frames.connect(socket, endpoint)
            }
        } catch {
            zmq_close(socket.pointer)
            onFinish()
            throw error
        }
        return try SocketThread(
            socket: socket, name: "dealer", context: context,
            onMessage: onMessage, onFinish: onFinish, isStale: isStale
        )
    }

    /// Callable from any task; queued until the socket thread sends it.
    public func send(_ frames: [Data]) throws {
        try thread.send(frames)
    }

    public func close() {
        thread.close()
    }
}
