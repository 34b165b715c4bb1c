internal import CZeroMQ
import Foundation

/// A libzmq pointer (context or socket). libzmq sockets are not thread-safe, so every socket handle
/// is used by one thread at a time: its socket thread, or callers serialised by a mutex (PUB).
struct ZMQHandle: @unchecked Sendable {
    let pointer: UnsafeMutableRawPointer
}

enum Frames {
    static let maxQueuedMessages = 100_000
    static let streamBufferLimit = 100_000

    static func openSocket(_ context: BusContext, type: Int32, name: String) throws -> ZMQHandle {
        guard let pointer = zmq_socket(context.handle.pointer, type) else {
            throw BusError.last("zmq_socket(\(name))")
        }
        let socket = ZMQHandle(pointer: pointer)
        do {
            try setOption(socket, ZMQ_LINGER, Int32(0), "ZMQ_LINGER")
        } catch {
            zmq_close(pointer)
            throw error
        }
        return socket
    }

    static func setOption(_ socket: ZMQHandle, _ option: Int32, _ value: Int32, _ name: String) throws {
        var value = value
        if zmq_setsockopt(socket.pointer, option, &value, MemoryLayout<Int32>.size) != 0 {
            throw BusError.last("zmq_setsockopt(\(name))")
        }
    }

    static func setOption(_ socket: ZMQHandle, _ option: Int32, bytes: [UInt8], _ name: String) throws {
        let rc = bytes.withUnsafeBytes { zmq_setsockopt(socket.pointer, option, $0.baseAddress, $0.count) }
        if rc != 0 {
            throw BusError.last("zmq_setsockopt(\(name))")
        }
    }

    static func bind(_ socket: ZMQHandle, _ endpoint: String) throws {
        if zmq_bind(socket.pointer, endpoint) != 0 {
            throw BusError.last("zmq_bind(\(endpoint))")
        }
    }

    static func connect(_ socket: ZMQHandle, _ endpoint: String) throws {
        if zmq_connect(socket.pointer, endpoint) != 0 {
            throw BusError.last("zmq_connect(\(endpoint))")
        }
    }

    static func lastEndpoint(_ socket: ZMQHandle) throws -> String {
        var buffer = [CChar](repeating: 0, count: 1024)
        var size = buffer.count
        if zmq_getsockopt(socket.pointer, ZMQ_LAST_ENDPOINT, &buffer, &size) != 0 {
            throw BusError.last("zmq_getsockopt(ZMQ_LAST_ENDPOINT)")
        }
        let bytes = buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Sends one multipart message. The first frame may use ZMQ_DONTWAIT; once libzmq accepted it,
    /// the remaining frames of the message are guaranteed to be accepted, so they are sent blocking.
    static func send(_ socket: ZMQHandle, _ frames: [Data], dontWait: Bool) -> SendResult {
        for (index, frame) in frames.enumerated() {
            var flags: Int32 = index < frames.count - 1 ? ZMQ_SNDMORE : 0
            if index == 0 && dontWait { flags |= ZMQ_DONTWAIT }
            while true {
                let rc = frame.withUnsafeBytes { zmq_send(socket.pointer, $0.baseAddress, $0.count, flags) }
                if rc >= 0 { break }
                let code = zmq_errno()
                if code == EINTR { continue }
                if code == EAGAIN && index == 0 { return .wouldBlock }
                return .failed(BusError(code: code, operation: "zmq_send"))
            }
        }
        return .sent
    }

    enum SendResult {
        case sent
        case wouldBlock
        case failed(BusError)
    }

    enum ReceiveResult {
        case message([Data])
        case wouldBlock
        case failed(BusError)
    }

    /// Receives one whole multipart message without blocking for its first frame.
    static func receive(_ socket: ZMQHandle, into message: UnsafeMutablePointer<zmq_msg_t>) -> ReceiveResult {
        var frames: [Data] = []
        while true {
            zmq_msg_init(message)
            defer { zmq_msg_close(message) }
            let flags: Int32 = frames.isEmpty ? ZMQ_DONTWAIT : 0
            if zmq_msg_recv(message, socket.pointer, flags) < 0 {
                let code = zmq_errno()
                if code == EINTR { continue }
                if code == EAGAIN && frames.isEmpty { return .wouldBlock }
                return .failed(BusError(code: code, operation: "zmq_msg_recv"))
            }
            let size = zmq_msg_size(message)
            if size > 0, let bytes = zmq_msg_data(message) {
                frames.append(Data(bytes: bytes, count: size))
            } else {
                frames.append(Data())
            }
            if zmq_msg_more(message) == 0 {
                return .message(frames)
            }
        }
    }
}
