/// Gathers reads that arrive together into one round trip. A hot read that is one short statement
/// (a learner's window on a leaderboard) costs PostgresNIO and PostgreSQL about as much per
/// statement as per answer — the pool lease, the bind and execute messages, the row stream, the
/// executor's start-up — so concurrent readers share a few statements instead of one each. While
/// `maxInFlight` batches run, new requests wait and go together in the next, at most `maxBatch` of
/// them; when nothing runs, a request goes at once, alone, so a quiet service adds no wait.
/// `read` answers every request of a batch, in the order given. A batch that fails is read again
/// request by request, so each caller gets its own answer or error.
public actor ReadCoalescer<Request: Sendable, Answer: Sendable> {
    private struct Waiting {
        var request: Request
        var continuation: CheckedContinuation<Answer, any Error>
    }

    private let maxBatch: Int
    private let maxInFlight: Int
    private let read: @Sendable ([Request]) async throws -> [Answer]
    private var waiting: [Waiting] = []
    private var inFlight = 0
    /// Requests that went in a batch with others (for tests and the curious).
    public private(set) var batched = 0
    /// Requests waiting for the next batch.
    public var queued: Int { waiting.count }

    public init(maxBatch: Int = 32, maxInFlight: Int = 2, read: @escaping @Sendable ([Request]) async throws -> [Answer]) {
        self.maxBatch = max(1, maxBatch)
        self.maxInFlight = max(1, maxInFlight)
        self.read = read
    }

    public func submit(_ request: Request) async throws -> Answer {
        try await withCheckedThrowingContinuation { continuation in
            waiting.append(Waiting(request: request, continuation: continuation))
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
        do {
            let answers = try await read(group.map(\.request))
            guard answers.count == group.count else { throw BatchRowsMismatch(expected: group.count, got: answers.count) }
            if group.count > 1 { batched += group.count }
            for (waiting, answer) in zip(group, answers) { waiting.continuation.resume(returning: answer) }
        } catch where group.count > 1 {
            for waiting in group { await settle(waiting) }
        } catch {
            group[0].continuation.resume(throwing: error)
        }
        inFlight -= 1
        startIfIdle()
    }

    private func settle(_ waiting: Waiting) async {
        do {
            let answers = try await read([waiting.request])
            guard let answer = answers.first, answers.count == 1 else { throw BatchRowsMismatch(expected: 1, got: answers.count) }
            waiting.continuation.resume(returning: answer)
        } catch {
            waiting.continuation.resume(throwing: error)
        }
    }
}
