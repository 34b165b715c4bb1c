import Foundation
@testable import ServiceKit
import Testing

/// Calendar days as PostgreSQL's `date` writes them, formatted without printf.
@Suite struct CalendarDayTests {
    @Test func daysAreZeroPaddedAsPrintfWouldPadThem() {
        for (year, month, day) in [(2026, 3, 8), (1970, 1, 1), (9999, 12, 31), (1, 1, 1), (0, 2, 29), (2024, 10, 10), (987, 11, 9)] {
            #expect(CalendarDay.text(year: year, month: month, day: day) == String(format: "%04d-%02d-%02d", year, month, day))
        }
        #expect(CalendarDay.text(year: 2026, month: 3, day: 8) == "2026-03-08")
        #expect(CalendarDay.isValid(CalendarDay.text(year: 2028, month: 2, day: 29)))
    }

    @Test func yearsBeyondFourDigitsStillFormat() {
        #expect(CalendarDay.text(year: 12026, month: 1, day: 2) == "12026-01-02")
        #expect(CalendarDay.text(year: -5, month: 1, day: 2) == String(format: "%04d-%02d-%02d", -5, 1, 2))
    }
}
