@testable import Gamification
import Foundation
import Synchronization
import Testing

/// A board's score counts as ranks and percentiles: learners above and below any score, whether
/// anyone holds it or not.
@Suite struct ScoreHistogramTests {
    @Test func aboveAndBelowCountLearnersWithMoreAndWithLess() {
        let histogram = ScoreHistogram([(xp: 50, learners: 2), (xp: 200, learners: 1), (xp: 75, learners: 0), (xp: -20, learners: 1), (xp: 120, learners: 3)])
        #expect(histogram.total == 7)
        // 200: 1, 120: 3, 50: 2, -20: 1 (75 is held by nobody and left out).
        #expect([300, 200, 150, 120, 75, 50, 0, -20, -30].map(histogram.above) == [0, 0, 1, 1, 4, 4, 6, 6, 7])
        #expect([300, 200, 150, 120, 75, 50, 0, -20, -30].map(histogram.below) == [7, 6, 6, 3, 3, 1, 1, 0, 0])
    }

    @Test func aScoreGivenMoreThanOnceCountsItsSum() {
        // A folded count and the moves not folded yet: 50 ends with 2 (3 - 1), 80 with 1 (-1 + 1 + 1), 120 with nobody.
        let histogram = ScoreHistogram([(xp: 50, learners: 3), (xp: 120, learners: 1), (xp: 80, learners: -1), (xp: 50, learners: -1),
                                        (xp: 120, learners: -1), (xp: 80, learners: 1), (xp: 80, learners: 1)])
        #expect(histogram.total == 3)
        #expect([130, 120, 80, 60, 50, 10].map(histogram.above) == [0, 0, 0, 1, 1, 3])
        #expect([130, 120, 80, 60, 50, 10].map(histogram.below) == [3, 3, 2, 2, 0, 0])
    }

    @Test func anEmptyBoardHasNobodyAboveOrBelow() {
        let histogram = ScoreHistogram([])
        #expect(histogram.total == 0 && histogram.above(10) == 0 && histogram.below(10) == 0)
    }

    @Test func aKeptHistogramIsLoadedOncePerBoardUntilItAges() async throws {
        let histograms = ScoreHistograms(maxAge: .seconds(600))
        let loads = Atomic(0)
        let key = LeaderboardKey(period: .weekly, day: LocalDate(parsing: "2026-03-04")!, courseID: nil)
        let load: @Sendable () async throws -> ScoreHistogram = {
            loads.add(1, ordering: .relaxed)
            try await Task.sleep(for: .milliseconds(50))
            return ScoreHistogram([(xp: 10, learners: 1)])
        }
        try await withThrowingTaskGroup(of: ScoreHistogram.self) { group in
            for _ in 0..<20 { group.addTask { try await histograms.histogram(of: key, load: load) } }
            for try await histogram in group { #expect(histogram.total == 1) }
        }
        #expect(loads.load(ordering: .relaxed) == 1, "concurrent requests wait for one load")
        // Another day of the same week is the same board; another week or a course is not.
        _ = try await histograms.histogram(of: LeaderboardKey(period: .weekly, day: LocalDate(parsing: "2026-03-06")!, courseID: nil), load: load)
        #expect(loads.load(ordering: .relaxed) == 1)
        _ = try await histograms.histogram(of: LeaderboardKey(period: .weekly, day: LocalDate(parsing: "2026-03-11")!, courseID: nil), load: load)
        _ = try await histograms.histogram(of: LeaderboardKey(period: .weekly, day: LocalDate(parsing: "2026-03-04")!, courseID: UUID()), load: load)
        #expect(loads.load(ordering: .relaxed) == 3)

        let fresh = ScoreHistograms(maxAge: .milliseconds(100))
        _ = try await fresh.histogram(of: key, load: load)
        try await Task.sleep(for: .milliseconds(150))
        _ = try await fresh.histogram(of: key, load: load)
        #expect(loads.load(ordering: .relaxed) == 5, "an aged histogram is loaded again")
    }

    @Test func aFailedLoadIsNotKeptAndAZeroAgeKeepsNothing() async throws {
        struct Unreachable: Error {}
        let key = LeaderboardKey(period: .allTime, day: LocalDate(parsing: "2026-03-04")!, courseID: nil)
        let histograms = ScoreHistograms(maxAge: .seconds(600))
        await #expect(throws: Unreachable.self) { try await histograms.histogram(of: key) { throw Unreachable() } }
        #expect(try await histograms.histogram(of: key) { ScoreHistogram([(xp: 5, learners: 2)]) }.total == 2)

        let uncached = ScoreHistograms(maxAge: .zero)
        #expect(try await uncached.histogram(of: key) { ScoreHistogram([(xp: 5, learners: 2)]) }.total == 2)
        #expect(try await uncached.histogram(of: key) { ScoreHistogram([]) }.total == 0)
    }
}
