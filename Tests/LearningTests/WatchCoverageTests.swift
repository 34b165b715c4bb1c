@testable import Learning
import Testing

@Suite struct WatchCoverageTests {
    typealias Segment = WatchCoverage.Segment

    @Test func overlappingAndRepeatedSegmentsCountEachSecondOnce() {
        var coverage = WatchCoverage(duration: 100)
        coverage.add([Segment(start: 0, end: 30), Segment(start: 20, end: 40)])
        coverage.add([Segment(start: 0, end: 30), Segment(start: 10, end: 15)])  // watched again
        #expect(coverage.watchedSeconds == 40)
        #expect(coverage.segments == [Segment(start: 0, end: 40)])
    }

    @Test func seekingToTheEndDoesNotQualify() {
        var coverage = WatchCoverage(duration: 600)
        coverage.add([Segment(start: 0, end: 5), Segment(start: 590, end: 600)])
        #expect(coverage.watchedSeconds == 15)
        #expect(!coverage.qualifies(threshold: 0.8))
    }

    @Test func twoDevicesTogetherQualifyAtTheThreshold() {
        var coverage = WatchCoverage(duration: 100)
        coverage.add([Segment(start: 0, end: 50)])         // phone
        coverage.add([Segment(start: 45, end: 79.5)])      // laptop
        #expect(!coverage.qualifies(threshold: 0.8))
        coverage.add([Segment(start: 79.5, end: 80)])
        #expect(coverage.qualifies(threshold: 0.8))
        #expect(coverage.segments.count == 1)
    }

    @Test func segmentsOutsideTheVideoAreRejected() throws {
        #expect(throws: WatchCoverage.Rejection.beyondDuration(index: 1, duration: 100)) {
            try WatchCoverage.validate([Segment(start: 0, end: 10), Segment(start: 90, end: 130)], duration: 100)
        }
        #expect(throws: WatchCoverage.Rejection.emptyOrReversed(index: 0)) {
            try WatchCoverage.validate([Segment(start: 20, end: 10)], duration: 100)
        }
        #expect(throws: WatchCoverage.Rejection.emptyOrReversed(index: 0)) {
            try WatchCoverage.validate([Segment(start: -5, end: 10)], duration: 100)
        }
        #expect(throws: WatchCoverage.Rejection.notFinite(index: 0)) {
            try WatchCoverage.validate([Segment(start: 0, end: .infinity)], duration: 100)
        }
        #expect(throws: WatchCoverage.Rejection.tooMany(limit: WatchCoverage.maxSegmentsPerReport)) {
            try WatchCoverage.validate(Array(repeating: Segment(start: 0, end: 1), count: 501), duration: 100)
        }
        // A player reporting the last frame a moment late is clamped, not refused.
        #expect(try WatchCoverage.validate([Segment(start: 95, end: 100.4)], duration: 100) == [Segment(start: 95, end: 100)])
    }

    @Test func coverageNeverExceedsTheWholeVideo() {
        var coverage = WatchCoverage(duration: 10)
        coverage.add((0..<50).map { _ in Segment(start: 0, end: 10) })
        #expect(coverage.coverage == 1)
        #expect(WatchCoverage(duration: 0).coverage == 0)
    }
}
