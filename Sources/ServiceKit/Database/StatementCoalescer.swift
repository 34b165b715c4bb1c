import Logging
import PostgresNIO

/// Gathers one-row statements that arrive together into one statement and transaction
/// (a `RequestCoalescer`). A hot write that is one SQL function call (a lesson completion, a lead
/// capture) costs PostgreSQL and PostgresNIO about as much per call as per row, so 32 concurrent
/// callers share a few round trips and commits instead of queueing for 32. A batch goes sorted by
/// `lockOrder`, so two batches never take the same rows' locks in opposite orders. `batch` must
/// answer one row per statement, in the order given (`unnest(…) WITH ORDINALITY … CROSS JOIN
/// LATERAL f(…) ORDER BY n`); its statements then decide exactly as they would one after another.
/// A statement alone, and each statement of a batch that failed, runs as itself.
public struct StatementCoalescer<Single: PostgresPreparedStatement, Batch: PostgresPreparedStatement>: Sendable
where Single.Row: Sendable, Batch.Row == Single.Row {
    public typealias Row = Single.Row

    private let coalescer: RequestCoalescer<Single, Row?>

    public init(database: PostgresClient, maxBatch: Int = 32, maxInFlight: Int = 2, batch: @escaping @Sendable ([Single]) -> Batch,
                lockOrder: @escaping @Sendable (Single, Single) -> Bool) {
        coalescer = RequestCoalescer(maxBatch: maxBatch, maxInFlight: maxInFlight) { statements, logger in
            guard statements.count > 1 else { return [try await database.execute(statements[0], logger: logger).firstElement()] }
            let order = statements.indices.sorted { lockOrder(statements[$0], statements[$1]) }
            let rows = try await database.execute(batch(order.map { statements[$0] }), logger: logger).all()
            guard rows.count == order.count else { throw BatchRowsMismatch(expected: order.count, got: rows.count) }
            var answers = [Row?](repeating: nil, count: statements.count)
            for (index, row) in zip(order, rows) { answers[index] = row }
            return answers
        }
    }

    /// The statement's row (nil when it answered none).
    public func submit(_ statement: Single, logger: Logger) async throws -> Row? {
        try await coalescer.submit(statement, logger: logger)
    }

    /// Statements that went in a batch with others (for tests and the curious).
    public var batched: Int {
        get async { await coalescer.batched }
    }
}

/// A batch answered a different number of rows than it was given requests.
struct BatchRowsMismatch: Error, CustomStringConvertible {
    let expected: Int
    let got: Int
    var description: String { "the batch answered \(got) rows for \(expected) requests" }
}
