import Foundation
import Logging

/// Request/response over DEALER -> ROUTER. Wire: requester sends [requestId(16 bytes uuid), body...]; responder replies [requestId, body...].
public final class BusRequester: Sendable {
    private let context: BusContext
    private let thread: SocketThread
    private let pending: PendingReplies

    public convenience init(context: BusContext, connect endpoint: String, curve: CurveClient? = nil) throws {
        try self.init(context: context, connect: [endpoint], curve: curve)
    }

    /// Requests go round-robin to the endpoints with a live connection (e.g. replicas); an unreachable
    /// endpoint receives none. With no live peer a request waits until its timeout, and is then dropped unsent.
    public init(context: BusContext, connect endpoints: [String], curve: CurveClient? = nil) throws {
        let pending = PendingReplies()
        let logger = context.logger
        self.context = context
        self.pending = pending
        thread = try DealerSocket.open(
            context: context, endpoints: endpoints, curve: curve, immediate: true,
            onMessage: { pending.deliver($0, logger: logger) },
            onFinish: { pending.closeAll() },
            isStale: { !pending.isWaiting(forRequestIn: $0) }
        )
    }

    /// Concurrent calls allowed; replies matched by requestId; throws BusTimeout after `timeout` (late replies are dropped).
    public func request(_ frames: [Data], timeout: Duration) async throws -> [Data] {
        let id = UUID()
        let message = [withUnsafeBytes(of: id.uuid) { Data($0) }] + frames
        return try await withThrowingTaskGroup(of: [Data].self) { group in
            group.addTask { try await self.send(message, awaitingReplyTo: id) }
            group.addTask {
                try await Task.sleep(for: timeout)
                throw BusTimeout()
            }
            defer { group.cancelAll() }
            guard let reply = try await group.next() else { throw BusTimeout() }
            return reply
        }
    }

    /// Fails pending requests with a BusError; idempotent.
    public func close() {
        thread.close()
    }

    private func send(_ message: [Data], awaitingReplyTo id: UUID) async throws -> [Data] {
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { continuation in
                guard pending.add(id, continuation) else { return }
                do {
                    try thread.send(message)
                } catch {
                    pending.fail(id, error)
                }
                // The cancellation handler may have run before `add`; then it found nothing to fail.
                if Task.isCancelled {
                    pending.fail(id, CancellationError())
                }
            }
        } onCancel: {
            pending.fail(id, CancellationError())
        }
    }
}

/// Requests waiting for their reply; each continuation is removed under the lock before it is resumed, so it resumes once.
private final class PendingReplies: Sendable {
    private struct State {
        var waiting: [UUID: CheckedContinuation<[Data], any Error>] = [:]
        var isClosed = false
    }

    private let state = Locked(State())

    /// False (and the continuation already failed) when the requester is closed.
    func add(_ id: UUID, _ continuation: CheckedContinuation<[Data], any Error>) -> Bool {
        let accepted = state.withLock { state in
            if state.isClosed { return false }
            state.waiting[id] = continuation
            return true
        }
        if !accepted {
            continuation.resume(throwing: BusError.closed("request on a closed requester"))
        }
        return accepted
    }

    /// False once the request in `message` timed out, was cancelled or was answered.
    func isWaiting(forRequestIn message: [Data]) -> Bool {
        guard let id = message.first.flatMap(requestId) else { return false }
        return state.withLock { $0.waiting[id] != nil }
    }

    func fail(_ id: UUID, _ error: any Error) {
        take(id)?.resume(throwing: error)
    }

    func deliver(_ frames: [Data], logger: Logger) {
        guard let id = frames.first.flatMap(requestId) else {
            logger.warning("dropped a reply without a 16-byte request id (\(frames.count) frame(s))")
            return
        }
        guard let continuation = take(id) else {
            logger.debug("dropped a late or unknown reply", metadata: ["request_id": "\(id)"])
            return
        }
        continuation.resume(returning: Array(frames.dropFirst()))
    }

    func closeAll() {
        let waiting = state.withLock { state in
            state.isClosed = true
            defer { state.waiting = [:] }
            return Array(state.waiting.values)
        }
        for continuation in waiting {
            continuation.resume(throwing: BusError.closed("request on a closed requester"))
        }
    }

    private func requestId(_ frame: Data) -> UUID? {
        guard frame.count == 16 else { return nil }
        return UUID(uuid: frame.withUnsafeBytes { $0.loadUnaligned(as: uuid_t.self) })
    }

    private func take(_ id: UUID) -> CheckedContinuation<[Data], any Error>? {
        state.withLock { state in
            state.waiting.removeValue(forKey: id)
        }
    }
}

public final class BusResponder: Sendable {
    public let endpoint: String
    private let router: RouterSocket

    /// With `curve`, only requesters holding an allowed client key connect, and traffic is encrypted.
    public init(context: BusContext, bind endpoint: String, curve: CurveServer? = nil) throws {
        router = try RouterSocket(context: context, bind: endpoint, curve: curve)
        self.endpoint = router.endpoint
    }

    /// Runs until close()/shutdown or task cancellation; each request handled concurrently; a throwing handler answers nothing (requester times out) and is logged.
    /// The request stream can be consumed once: after `serve` returns, the responder serves no more requests.
    public func serve(logger: Logger, _ handler: @escaping @Sendable ([Data]) async throws -> [Data]) async {
        let router = self.router
        await withDiscardingTaskGroup { group in
            for await request in router.messages {
                guard let requestId = request.frames.first, requestId.count == 16 else {
                    logger.warning("dropped a request without a 16-byte request id (\(request.frames.count) frame(s))")
                    continue
                }
                let body = Array(request.frames.dropFirst())
                group.addTask {
                    let reply: [Data]
                    do {
                        reply = try await handler(body)
                    } catch {
                        logger.error("request handler failed: \(error)")
                        return
                    }
                    do {
                        try router.send(to: request.identity, [requestId] + reply)
                    } catch {
                        logger.debug("could not send a reply: \(error)")
                    }
                }
            }
        }
    }

    public func close() {
        router.close()
    }
}
