import Logging
import PostgresNIO

/// Runs a transaction again when PostgreSQL rolled it back as a deadlock's victim (40P01) or a
/// serialization failure (40001): nothing it did was kept, and the next try usually finds the
/// way clear (writers that lock shared rows in key order within a statement can still meet in
/// the opposite order across statements). Up to `attempts` tries; any other error goes to the
/// caller as it came.
public enum TransactionRetry {
    public static let retriedStates: Set<String> = ["40P01", "40001"]

    public static func run<Result>(attempts: Int = 3, logger: Logger, _ transaction: () async throws -> Result) async throws -> Result {
        var attempt = 0
        while true {
            attempt += 1
            do {
                return try await transaction()
            } catch let error where attempt < attempts && retriedStates.contains(PostgresErrorText.sqlState(error) ?? "") {
                logger.notice("transaction rolled back by PostgreSQL; trying again",
                              metadata: ["attempt": "\(attempt)", "sqlstate": "\(PostgresErrorText.sqlState(error) ?? "")"])
            }
        }
    }
}

extension PostgresClient {
    /// `transaction`, run again from the start when PostgreSQL rolls it back as a deadlock's victim
    /// or a serialization failure (`TransactionRetry`).
    public func retryingTransaction<T: Sendable>(attempts: Int = 3, logger: Logger, _ body: (PostgresConnection) async throws -> sending T) async throws -> T {
        try await TransactionRetry.run(attempts: attempts, logger: logger) { try await transaction(logger: logger) { try await body($0) } }
    }
}
