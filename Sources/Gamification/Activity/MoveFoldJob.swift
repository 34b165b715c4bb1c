import Foundation
import Logging
import PostgresNIO
import ServiceKit
import ServiceLifecycle

/// Folds the count moves the award paths append (gamification `0013`: learners per score on a
/// board, holders per achievement) into the counts, every `every`. Readers add the moves not
/// folded yet themselves, so folding only keeps what they read short. One replica folds at a
/// time (an advisory transaction lock); a replica that finds it taken waits for its next turn.
final class MoveFoldJob: Service, Sendable {
    static let batch = 20_000

    let database: PostgresClient
    let every: Duration
    let logger: Logger

    init(database: PostgresClient, logger: Logger, every: Duration = .seconds(1)) {
        self.database = database
        self.every = every
        self.logger = logger
    }

    func run() async throws {
        try? await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                do {
                    _ = try await DatabaseDeadline.run(DatabaseDeadline.standard) { try await self.foldAll() }
                } catch {
                    self.logger.warning("folding count moves failed; will try again", metadata: ["error": "\(PostgresErrorText.describe(error))"])
                }
                try await Task.sleep(for: self.every)
            }
        }
    }

    /// Folds batches until fewer than a batch are left; the score-count moves folded (0 when
    /// another replica holds the turn).
    @discardableResult
    func foldAll() async throws -> Int {
        var total = 0
        while true {
            let folded = try await database.transaction(logger: logger) { connection -> Int in
                let turn = try await connection.query("SELECT pg_try_advisory_xact_lock(hashtext('gamification.fold_moves'))", logger: logger)
                    .decode(Bool.self).firstElement() ?? false
                guard turn else { return 0 }
                return try await connection.query("SELECT gamification.fold_moves(\(Self.batch)::integer)", logger: logger)
                    .decode(Int.self).firstElement() ?? 0
            }
            total += folded
            if folded < Self.batch { return total }
        }
    }
}
