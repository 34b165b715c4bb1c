import Foundation
import ServiceKit

/// Everything one received learning event changes, inside the consumer's transaction (the one
/// that records the event as applied): the activity log, the XP award, and what follows from
/// them. A redelivered event stops at the log.
struct ActivityPipeline: Sendable {
    let ledger: XPLedger
    let leaderboards: Leaderboards

    init(environment: ServiceEnvironment) {
        ledger = XPLedger(environment: environment)
        leaderboards = Leaderboards(environment: environment)
    }

    func apply(_ activity: Activity, context: HandlerContext) async throws {
        guard try await ActivityLog.record(activity, on: context.connection, logger: context.logger) else { return }
        let award = try await ledger.award(for: activity, context: context)
        if let award { try await leaderboards.record(award, context: context) }
    }
}
