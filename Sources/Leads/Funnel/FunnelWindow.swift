import Foundation
import ServiceKit

/// The stretches of `funnel_counts` a window of days reads: whole months from the month rows, the
/// days before the first and after the last whole month from the day rows. Days are yyyy-MM-dd;
/// `from` and `to` are both included, nil meaning no bound.
struct FunnelWindow: Equatable, Sendable {
    struct Stretch: Equatable, Sendable {
        var grain: String
        /// First day (or first day of the first month) read.
        var from: String
        /// The day after the last one read.
        var until: String
    }

    var stretches: [Stretch]

    static let earliest = "0001-01-01"
    static let latest = "9999-12-01"

    init(from: String?, to: String?) {
        let start = from ?? Self.earliest
        let end = to.map(Self.dayAfter) ?? Self.latest
        let firstWholeMonth = Self.day(start) == 1 ? start : Self.nextMonth(start)
        let endOfWholeMonths = Self.monthStart(end)
        guard Self.precedes(firstWholeMonth, endOfWholeMonths) else {
            stretches = Self.precedes(start, end) ? [Stretch(grain: "day", from: start, until: end)] : []
            return
        }
        stretches = [Stretch(grain: "day", from: start, until: firstWholeMonth),
                     Stretch(grain: "month", from: firstWholeMonth, until: endOfWholeMonths),
                     Stretch(grain: "day", from: endOfWholeMonths, until: end)].filter { Self.precedes($0.from, $0.until) }
    }

    private static func parts(_ day: String) -> (Int, Int, Int) {
        let numbers = day.split(separator: "-").map { Int($0) ?? 1 }
        return (numbers[0], numbers[1], numbers[2])
    }

    /// By date, not text: the day after 9999-12-31 is 10000-01-01, which sorts first as text.
    private static func precedes(_ a: String, _ b: String) -> Bool { parts(a) < parts(b) }

    private static func day(_ text: String) -> Int { parts(text).2 }

    private static func monthStart(_ text: String) -> String {
        let (year, month, _) = parts(text)
        return CalendarDay.text(year: year, month: month, day: 1)
    }

    private static func nextMonth(_ text: String) -> String {
        let (year, month, _) = parts(text)
        return month == 12 ? CalendarDay.text(year: year + 1, month: 1, day: 1) : CalendarDay.text(year: year, month: month + 1, day: 1)
    }

    private static func dayAfter(_ text: String) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let (year, month, day) = parts(text)
        guard let date = calendar.date(from: DateComponents(year: year, month: month, day: day + 1)) else { return latest }
        let next = calendar.dateComponents([.year, .month, .day], from: date)
        return CalendarDay.text(year: next.year ?? year, month: next.month ?? month, day: next.day ?? day)
    }
}
