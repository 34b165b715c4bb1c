import Foundation
import ServiceKit

/// Everything received learning events change, inside the consumer's transaction (the one that
/// records them as applied): the activity log, the XP awards, and what follows from them — a few
/// statements per run of events, whatever its length. Redelivered events stop at the log.
struct ActivityPipeline: Sendable {
    let ledger: XPLedger
    let achievements: AchievementUnlocker
    let streaks: StreakStore

    init(environment: ServiceEnvironment) {
        ledger = XPLedger(environment: environment)
        achievements = AchievementUnlocker(ledger: ledger)
        streaks = StreakStore(environment: environment)
    }

    func apply(_ received: [ReceivedActivity], context: BatchContext) async throws {
        let connection = context.connection, logger = context.logger
        let days = try await ActivityLog.record(received.map(\.activity), platformTimeZone: streaks.platformTimeZone, on: connection, logger: logger)
        let fresh = received.filter { days[$0.activity.eventID] != nil }
        guard !fresh.isEmpty else { return }
        try await ledger.award(fresh, on: connection, logger: logger)
        try await LearnerCounters.add(fresh.map { .init(userID: $0.activity.userID, counts: .increments(for: $0.activity), activityAt: $0.activity.occurredAt) },
                                      on: connection, logger: logger)
        try await streaks.record(fresh.compactMap { item in days[item.activity.eventID].map { (activity: item.activity, day: $0, metadata: item.metadata) } },
                                 on: connection, logger: logger)
        let metadata = Dictionary(fresh.map { ($0.activity.userID, $0.metadata) }, uniquingKeysWith: { _, last in last })
        let users = Array(metadata.keys).sorted()
        try await achievements.evaluate(users, metadata: { metadata[$0] ?? .about(user: $0, actor: nil) }, on: connection, logger: logger)
    }
}
