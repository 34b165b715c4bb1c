import Logging
import PostgresNIO

/// Gathers one-row statements that arrive together into one statement and transaction. A hot
/// write that is one SQL function call (a lesson completion, a lead capture) costs PostgreSQL
/// and PostgresNIO about as much per call as per row, so 32 concurrent callers share a few round
/// trips and commits instead of queueing for 32. While `maxInFlight` calls run, new statements
/// wait and go together in the next, at most `maxBatch` of them, sorted by `lockOrder` so two
/// batches never take the same rows' locks in opposite orders. `batch` must answer one row per
/// statement, in the order given (`unnest(…) WITH ORDINALITY … CROSS JOIN LATERAL f(…) ORDER BY n`);
/// its statements then decide exactly as they would one after another. A batch that fails for
/// any reason is retried statement by statement, so each caller gets its own row or error.
public actor StatementCoalescer<Single: PostgresPreparedStatement, Batch: PostgresPreparedStatement>
where Single.Row: Sendable, Batch.Row == Single.Row {
    public typealias Row = Single.Row

    private struct Waiting {
        var statement: Single
        var continuation: CheckedContinuation<Row?, any Error>
    }

    private let database: PostgresClient
    private let maxBatch: Int
    private let maxInFlight: Int
    private let batch: @Sendable ([Single]) -> Batch
    private let lockOrder: @Sendable (Single, Single) -> Bool
    private var waiting: [Waiting] = []
    private var inFlight = 0
    /// Statements that went in a batch with others (for tests and the curious).
    public private(set) var batched = 0

    public init(database: PostgresClient, maxBatch: Int = 32, maxInFlight: Int = 2, batch: @escaping @Sendable ([Single]) -> Batch,
                lockOrder: @escaping @Sendable (Single, Single) -> Bool) {
        self.database = database
        self.maxBatch = max(1, maxBatch)
        self.maxInFlight = max(1, maxInFlight)
        self.batch = batch
        self.lockOrder = lockOrder
    }

    /// The statement's row (nil when it answered none).
    public func submit(_ statement: Single, logger: Logger) async throws -> Row? {
        try await withCheckedThrowingContinuation { continuation in
            waiting.append(Waiting(statement: statement, continuation: continuation))
            startIfIdle(logger: logger)
        }
    }

    private func startIfIdle(logger: Logger) {
        guard inFlight < maxInFlight, !waiting.isEmpty else { return }
        inFlight += 1
        let next = Array(waiting.prefix(maxBatch))
        waiting.removeFirst(next.count)
        Task { await self.run(next, logger: logger) }
    }

    private func run(_ group: [Waiting], logger: Logger) async {
        if group.count == 1 {
            await settle(group[0], logger: logger)
        } else {
            let ordered = group.sorted { lockOrder($0.statement, $1.statement) }
            do {
                let statement = batch(ordered.map(\.statement))
                let rows = try await DatabaseDeadline.run { [database] in try await database.execute(statement, logger: logger).all() }
                guard rows.count == ordered.count else { throw BatchRowsMismatch(expected: ordered.count, got: rows.count) }
                batched += ordered.count
                for (waiting, row) in zip(ordered, rows) { waiting.continuation.resume(returning: row) }
            } catch {
                logger.debug("a batch of statements failed; retrying them one by one", metadata: ["error": "\(PostgresErrorText.describe(error))"])
                for waiting in ordered { await settle(waiting, logger: logger) }
            }
        }
        inFlight -= 1
        startIfIdle(logger: logger)
    }

    private func settle(_ waiting: Waiting, logger: Logger) async {
        do {
            let statement = waiting.statement
            let row = try await DatabaseDeadline.run { [database] in try await database.execute(statement, logger: logger).firstElement() }
            waiting.continuation.resume(returning: row)
        } catch {
            waiting.continuation.resume(throwing: error)
        }
    }
}

/// A batch statement answered a different number of rows than it was given statements.
struct BatchRowsMismatch: Error, CustomStringConvertible {
    let expected: Int
    let got: Int
    var description: String { "the batch answered \(got) rows for \(expected) statements" }
}
