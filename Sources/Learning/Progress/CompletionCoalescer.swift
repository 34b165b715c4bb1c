import Foundation
import Logging
import PostgresNIO
import ServiceKit

/// Gathers one-trip lesson completions that arrive together into one statement and transaction
/// (`ProgressStatements.CompleteMany`: `learning.complete_lesson` once per completion). Each
/// completion still decides exactly as it would alone — the function's statements see the ones
/// before it in the same transaction — but 32 concurrent learners share a few round trips and
/// commits instead of queueing for 32. While `maxInFlight` calls run, new completions wait and
/// go together in the next, at most `maxBatch` of them. A batch that fails for any reason is
/// retried completion by completion, so each caller gets its own outcome or error.
actor CompletionCoalescer {
    typealias Completion = ProgressStatements.CompleteInOneTrip

    private struct Waiting {
        var completion: Completion
        var continuation: CheckedContinuation<Completion.Row?, any Error>
    }

    private let database: PostgresClient
    private let maxBatch: Int
    private let maxInFlight: Int
    private var waiting: [Waiting] = []
    private var inFlight = 0
    /// Completions that went in a statement with others (for tests and the curious).
    private(set) var batchedCompletions = 0

    init(database: PostgresClient, maxBatch: Int = 32, maxInFlight: Int = 2) {
        self.database = database
        self.maxBatch = maxBatch
        self.maxInFlight = maxInFlight
    }

    /// The function's row for this completion.
    func submit(_ completion: Completion, logger: Logger) async throws -> Completion.Row? {
        try await withCheckedThrowingContinuation { continuation in
            waiting.append(Waiting(completion: completion, continuation: continuation))
            startIfIdle(logger: logger)
        }
    }

    private func startIfIdle(logger: Logger) {
        guard inFlight < maxInFlight, !waiting.isEmpty else { return }
        inFlight += 1
        let batch = Array(waiting.prefix(maxBatch))
        waiting.removeFirst(batch.count)
        Task { await self.run(batch, logger: logger) }
    }

    private func run(_ batch: [Waiting], logger: Logger) async {
        if batch.count == 1 {
            await settle(batch[0], logger: logger)
        } else {
            // One order of locks for every batch (learner, course, lesson), so two never deadlock.
            let ordered = batch.sorted { a, b in
                (a.completion.userID.uuidString, a.completion.lesson.courseId.uuidString, a.completion.lesson.id.uuidString)
                    < (b.completion.userID.uuidString, b.completion.lesson.courseId.uuidString, b.completion.lesson.id.uuidString)
            }
            do {
                let statement = ProgressStatements.CompleteMany(completions: ordered.map(\.completion))
                let rows = try await DatabaseDeadline.run { [database] in try await database.execute(statement, logger: logger).all() }
                guard rows.count == ordered.count else { throw Problem.internalError }
                batchedCompletions += ordered.count
                for (waiting, row) in zip(ordered, rows) { waiting.continuation.resume(returning: row) }
            } catch {
                logger.debug("a batch of completions failed; retrying them one by one", metadata: ["error": "\(PostgresErrorText.describe(error))"])
                for waiting in ordered { await settle(waiting, logger: logger) }
            }
        }
        inFlight -= 1
        startIfIdle(logger: logger)
    }

    private func settle(_ waiting: Waiting, logger: Logger) async {
        do {
            let completion = waiting.completion
            let row = try await DatabaseDeadline.run { [database] in try await database.execute(completion, logger: logger).firstElement() }
            waiting.continuation.resume(returning: row)
        } catch {
            waiting.continuation.resume(throwing: error)
        }
    }
}
