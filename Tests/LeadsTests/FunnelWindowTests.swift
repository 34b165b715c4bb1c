@testable import Leads
import Testing

/// Which roll-up rows a window reads, without a database.
@Suite struct FunnelWindowTests {
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
        #expect(FunnelWindow(from: "2026-03-01", to: "9999-12-31").stretches == [
            Stretch(grain: "month", from: "2026-03-01", until: "10000-01-01"),
        ], "the last possible day: its next day has five digits")
        #expect(FunnelWindow(from: nil, to: "2026-03-15").stretches == [
            Stretch(grain: "month", from: FunnelWindow.earliest, until: "2026-03-01"), Stretch(grain: "day", from: "2026-03-01", until: "2026-03-16"),
        ])
    }
}
