import Synchronization

/// A database call that neither answered nor failed within its deadline.
public struct DatabaseStalled: Error, CustomStringConvertible {
    public let limit: Duration
    public var description: String { "the database did not answer within \(DurationText.format(limit))" }
}

/// Bounds how long a background worker waits for the database. PostgresNIO 1.33 loses a query
/// written to a connection in the instant it closes (a PostgreSQL restart does that to every
/// pooled session), and the caller would wait for the answer forever: the outbox relay would
/// stop publishing, a replay endpoint stop answering, a consumer stop applying. Past the deadline
/// the call is abandoned (the stuck task holds only a dead connection) and `DatabaseStalled`,
/// which `PostgresErrorText.isConnectionLoss` recognises, is thrown instead. A slow call that
/// does finish later commits or rolls back on its own; every caller is idempotent on retry.
public enum DatabaseDeadline {
    public static let standard: Duration = .seconds(30)

    public static func run<T: Sendable>(_ limit: Duration = standard, _ body: @escaping @Sendable () async throws -> T) async throws -> T {
        let outcome = FirstOutcome<T>()
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { continuation in
                outcome.waiting(continuation)
                let timer = Task {
                    guard (try? await Task.sleep(for: limit)) != nil else { return }
                    outcome.finish(.failure(DatabaseStalled(limit: limit)))
                }
                outcome.started(Task {
                    let result: Result<T, any Error>
                    do { result = .success(try await body()) } catch { result = .failure(error) }
                    timer.cancel()
                    outcome.finish(result)
                })
            }
        } onCancel: {
            outcome.cancelWork()
        }
    }
}

/// The continuation resumed by whichever comes first: the work's result or the deadline.
private final class FirstOutcome<T: Sendable>: Sendable {
    private let continuation = Mutex<CheckedContinuation<T, any Error>?>(nil)
    private let work = Mutex<Task<Void, Never>?>(nil)

    func waiting(_ continuation: CheckedContinuation<T, any Error>) {
        self.continuation.withLock { $0 = continuation }
    }

    func started(_ task: Task<Void, Never>) {
        work.withLock { $0 = task }
    }

    func finish(_ result: Result<T, any Error>) {
        continuation.withLock { slot in defer { slot = nil }; return slot }?.resume(with: result)
    }

    func cancelWork() {
        work.withLock { $0 }?.cancel()
    }
}
