import Foundation
import ServiceKit

/// Everything one received learning event changes, inside the consumer's transaction (the one
/// that records the event as applied): the activity log, the XP award, and what follows from
/// them. A redelivered event stops at the log.
struct ActivityPipeline: Sendable {
    let ledger: XPLedger
    let achievements: AchievementUnlocker
    let streaks: StreakStore

    init(environment: ServiceEnvironment) {
        ledger = XPLedger(environment: environment)
        achievements = AchievementUnlocker(ledger: ledger)
        streaks = StreakStore(environment: environment)
    }

    func apply(_ activity: Activity, context: HandlerContext) async throws {
        guard try await ActivityLog.record(activity, on: context.connection, logger: context.logger) else { return }
        _ = try await ledger.award(for: activity, context: context)
        try await LearnerCounters.add(.increments(for: activity), to: activity.userID, activityAt: activity.occurredAt,
                                      on: context.connection, logger: context.logger)
        try await streaks.record(activity, context: context)
        try await achievements.evaluate(activity.userID, metadata: context.caused(subject: Outbox.userTag(activity.userID)),
                                        on: context.connection, logger: context.logger)
    }
}
