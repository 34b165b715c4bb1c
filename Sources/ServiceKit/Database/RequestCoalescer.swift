import Logging

/// Gathers database requests that arrive together into one round trip. A hot request that is one
/// short statement (a lesson completion, a lead capture, a learner's window on a leaderboard)
/// costs PostgresNIO and PostgreSQL about as much per statement as per answer — the pool lease,
/// the bind and execute messages, the row stream, the executor's start-up, the commit — so
/// concurrent callers share a few statements instead of one each. While `maxInFlight` batches
/// run, new requests wait and go together in the next, at most `maxBatch` of them; when nothing
/// runs, a request goes at once, alone, so a quiet service adds no wait.
///
/// `read` answers every request of a batch, in the order given, under `DatabaseDeadline` (a query
/// PostgresNIO lost would otherwise hold a batch slot, and with it every later request, for good).
/// A batch that fails for any reason is read again request by request, so each caller gets its
/// own answer or error; `read` must make that safe (one transaction per call, each request
/// deciding as it would alone). `StatementCoalescer` is this for one-row SQL function calls.
public actor RequestCoalescer<Request: Sendable, Answer: Sendable> {
    public typealias Read = @Sendable ([Request], Logger) async throws -> [Answer]

    private struct Waiting {
        var request: Request
        var logger: Logger
        var continuation: CheckedContinuation<Answer, any Error>
    }

    private let maxBatch: Int
    private let maxInFlight: Int
    private let read: Read
    private var waiting: [Waiting] = []
    private var inFlight = 0
    /// Requests that went in a batch with others (for tests and the curious).
    public private(set) var batched = 0
    /// Requests waiting for the next batch.
    public var queued: Int { waiting.count }

    public init(maxBatch: Int = 32, maxInFlight: Int = 2, read: @escaping Read) {
        self.maxBatch = max(1, maxBatch)
        self.maxInFlight = max(1, maxInFlight)
        self.read = read
    }

    public func submit(_ request: Request, logger: Logger) async throws -> Answer {
        try await withCheckedThrowingContinuation { continuation in
            waiting.append(Waiting(request: request, logger: logger, continuation: continuation))
            startIfIdle()
        }
    }

    private func startIfIdle() {
        guard inFlight < maxInFlight, !waiting.isEmpty else { return }
        inFlight += 1
        let next = Array(waiting.prefix(maxBatch))
        waiting.removeFirst(next.count)
        Task { await self.run(next) }
    }

    private func run(_ group: [Waiting]) async {
        let logger = group[0].logger
        do {
            let answers = try await answer(group.map(\.request), logger: logger)
            if group.count > 1 { batched += group.count }
            for (waiting, answer) in zip(group, answers) { waiting.continuation.resume(returning: answer) }
        } catch where group.count > 1 {
            logger.debug("a batch of requests failed; reading them one by one", metadata: ["error": "\(PostgresErrorText.describe(error))"])
            for waiting in group { await settle(waiting) }
        } catch {
            group[0].continuation.resume(throwing: error)
        }
        inFlight -= 1
        startIfIdle()
    }

    private func settle(_ waiting: Waiting) async {
        do {
            waiting.continuation.resume(returning: try await answer([waiting.request], logger: waiting.logger)[0])
        } catch {
            waiting.continuation.resume(throwing: error)
        }
    }

    /// `read` under the deadline, held to one answer per request.
    private func answer(_ requests: [Request], logger: Logger) async throws -> [Answer] {
        let read = read
        let answers = try await DatabaseDeadline.run { try await read(requests, logger) }
        guard answers.count == requests.count else { throw BatchRowsMismatch(expected: requests.count, got: answers.count) }
        return answers
    }
}
