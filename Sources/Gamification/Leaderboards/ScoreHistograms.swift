import Foundation
import Synchronization

/// Each board's `ScoreHistogram`, kept for `GAMIFICATION_LEADERBOARD_CACHE_MS` like the boards'
/// tops: ranks, percentiles and `ranked_learners` may lag other learners' awards by that much,
/// while a learner's own XP is always read afresh. One load per board at a time: requests that
/// find a board's histogram missing or aged wait for the same load. A `maxAge` of zero loads on
/// every request. A failed load is not kept.
final class ScoreHistograms: Sendable {
    static let maxEntries = 2_000

    struct Board: Hashable, Sendable {
        var period: LeaderboardPeriod
        var start: LocalDate
        var scope: UUID
    }

    private let maxAge: Duration
    private let entries = Mutex([Board: (load: Task<ScoreHistogram, any Error>, startedAt: ContinuousClock.Instant)]())

    init(maxAge: Duration) {
        self.maxAge = maxAge
    }

    func histogram(of key: LeaderboardKey, load: @escaping @Sendable () async throws -> ScoreHistogram) async throws -> ScoreHistogram {
        guard maxAge > .zero else { return try await load() }
        let board = Board(period: key.period, start: key.start, scope: key.scope)
        let task = entries.withLock { entries in
            let now = ContinuousClock.now
            if let entry = entries[board], now - entry.startedAt < maxAge { return entry.load }
            if entries.count >= Self.maxEntries { entries.removeAll(keepingCapacity: true) }
            let task = Task { try await load() }
            entries[board] = (task, now)
            return task
        }
        do {
            return try await task.value
        } catch {
            entries.withLock { entries in
                if entries[board]?.load == task { entries[board] = nil }
            }
            throw error
        }
    }
}
