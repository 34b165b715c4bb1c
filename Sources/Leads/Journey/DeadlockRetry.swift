import Logging
import ServiceKit

/// Runs a transaction again when PostgreSQL chose it as a deadlock's victim (40P01). A journey
/// entry or a merge updates the funnel's shared counts (today's row of a stage, for one) in key
/// order within a statement, but a transaction with several such statements (the consumer's
/// batch of payments, a merge) can meet another in the opposite order; the retry then finds the
/// rows free. Anything else goes to the caller as it came.
enum DeadlockRetry {
    static func run<Result>(attempts: Int = 3, logger: Logger, _ transaction: () async throws -> Result) async throws -> Result {
        var attempt = 0
        while true {
            attempt += 1
            do {
                return try await transaction()
            } catch let error where attempt < attempts && PostgresErrorText.sqlState(error) == "40P01" {
                logger.notice("deadlock victim; trying again", metadata: ["attempt": "\(attempt)"])
            }
        }
    }
}
