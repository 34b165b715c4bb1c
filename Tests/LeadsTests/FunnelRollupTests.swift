@testable import Leads
import Testing

/// Which roll-up rows a window reads, and the median from a histogram, without a database.
@Suite struct FunnelRollupTests {
    typealias Stretch = FunnelWindow.Stretch

    @Test func wholeMonthsComeFromMonthRowsAndTheEdgesFromDayRows() {
        #expect(FunnelWindow(from: "2025-12-03", to: "2026-12-02").stretches == [
            Stretch(grain: "day", from: "2025-12-03", until: "2026-01-01"),
            Stretch(grain: "month", from: "2026-01-01", until: "2026-12-01"),
            Stretch(grain: "day", from: "2026-12-01", until: "2026-12-03"),
        ])
        #expect(FunnelWindow(from: "2026-02-01", to: "2026-02-28").stretches == [Stretch(grain: "month", from: "2026-02-01", until: "2026-03-01")])
        #expect(FunnelWindow(from: "2026-12-01", to: "2026-12-31").stretches == [Stretch(grain: "month", from: "2026-12-01", until: "2027-01-01")])
        #expect(FunnelWindow(from: "2026-01-10", to: "2026-01-16").stretches == [Stretch(grain: "day", from: "2026-01-10", until: "2026-01-17")])
        #expect(FunnelWindow(from: "2026-01-25", to: "2026-02-03").stretches == [Stretch(grain: "day", from: "2026-01-25", until: "2026-02-04")],
                "no whole month between")
        #expect(FunnelWindow(from: "2024-02-29", to: "2024-02-29").stretches == [Stretch(grain: "day", from: "2024-02-29", until: "2024-03-01")])
        #expect(FunnelWindow(from: nil, to: nil).stretches == [Stretch(grain: "month", from: FunnelWindow.earliest, until: FunnelWindow.latest)])
        #expect(FunnelWindow(from: "2026-03-15", to: nil).stretches == [
            Stretch(grain: "day", from: "2026-03-15", until: "2026-04-01"), Stretch(grain: "month", from: "2026-04-01", until: FunnelWindow.latest),
        ])
        #expect(FunnelWindow(from: nil, to: "2026-03-15").stretches == [
            Stretch(grain: "month", from: FunnelWindow.earliest, until: "2026-03-01"), Stretch(grain: "day", from: "2026-03-01", until: "2026-03-16"),
        ])
    }

    @Test func theMedianIsPercentileContOverTheBuckets() {
        var histogram = FunnelHistogram()
        #expect(histogram.median == nil && histogram.total == 0)
        histogram.add(seconds: 300, leads: 1)
        #expect(histogram.median == 300)
        histogram.add(seconds: 100, leads: 1)
        #expect(histogram.median == 200, "two values: their mean")
        histogram.add(seconds: 100, leads: 2)
        #expect(histogram.median == 100 && histogram.total == 4)
        histogram.add(seconds: 5_000, leads: 3)
        #expect(histogram.median == 300, "1 2 3 at 100, 300, 5,000 ×3: the fourth of seven")
        histogram.add(seconds: 700, leads: 0)
        histogram.add(seconds: 100, leads: -3)
        #expect(histogram.total == 4 && histogram.median == 5_000, "zero and netted-out buckets hold nobody")
    }
}
