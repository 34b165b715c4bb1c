import Foundation
import Logging
import ServiceKit
import ServiceLifecycle

/// Notices missed days even when a learner does not come back: every `every`, settles each live
/// streak whose last covered day is before yesterday in the learner's zone (a freeze per missed
/// day, or the break), emitting the events. The same `StreakRules.settle` runs first in an
/// activity's own transaction, so whichever comes first does it and the other finds nothing left.
/// Safe in every replica at once: learners are taken in batches with `FOR UPDATE SKIP LOCKED`,
/// and a settled learner is no longer due.
final class StreakSettlementJob: Service, Sendable {
    let store: StreakStore
    let every: Duration
    let grace: Duration
    let metrics: ServiceMetrics
    let logger: Logger

    init(environment: ServiceEnvironment) {
        store = StreakStore(environment: environment)
        every = environment.settings.streaks.settleEvery
        grace = environment.settings.streaks.settleGrace
        metrics = environment.metrics
        logger = environment.logger
    }

    func run() async throws {
        guard every > .zero else {
            // Turned off: stay up until shutdown (a service that returns early ends the whole group).
            try? await gracefulShutdown()
            return
        }
        try? await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                await self.runOnce(now: Date())
                try await Task.sleep(for: self.every)
            }
        }
    }

    /// One pass at `now`; the learners settled.
    @discardableResult
    func runOnce(now: Date) async -> Int {
        do {
            let settled = try await store.settleAllDue(now: now, grace: grace, logger: logger)
            metrics.counter("gamification_streaks_settled_total", [], help: "Learners whose missed streak days were settled by the job")
                .increment(by: Int64(settled))
            return settled
        } catch {
            logger.warning("streak settlement failed; will try again", metadata: ["error": "\(PostgresErrorText.describe(error))"])
            return 0
        }
    }
}
