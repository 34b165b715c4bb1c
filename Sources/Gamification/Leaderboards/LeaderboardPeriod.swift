import Foundation
import ServiceKit

/// The periods a leaderboard covers. Periods begin at local midnight in the platform timezone;
/// weeks begin on Monday. The SQL twin is `gamification.leaderboard_periods`.
enum LeaderboardPeriod: String, CaseIterable, Sendable, Codable {
    case daily
    case weekly
    case monthly
    case allTime = "all_time"

    /// The `period_start` the all-time board is stored under.
    static let allTimeStart = LocalDate(year: 1970, month: 1, day: 1)

    /// The first day of the period containing `day`.
    func start(containing day: LocalDate) -> LocalDate {
        switch self {
        case .daily: day
        case .weekly: day.adding(days: -day.daysSinceMonday)
        case .monthly: LocalDate(year: day.year, month: day.month, day: 1)
        case .allTime: Self.allTimeStart
        }
    }

    /// The last day of the period containing `day`; nil for all-time.
    func end(containing day: LocalDate) -> LocalDate? {
        switch self {
        case .daily: day
        case .weekly: start(containing: day).adding(days: 6)
        case .monthly: LocalDate(year: day.year, month: day.month, day: LocalDate.daysIn(month: day.month, year: day.year))
        case .allTime: nil
        }
    }
}

/// A calendar day without a zone (`YYYY-MM-DD`), with the proleptic Gregorian arithmetic the
/// periods need (days since 1970-01-01, after Howard Hinnant's `days_from_civil`).
struct LocalDate: Sendable, Hashable, Comparable, CustomStringConvertible {
    var year: Int
    var month: Int
    var day: Int

    /// Parses exactly `YYYY-MM-DD` (years 1970–9999) naming a real day; nil otherwise.
    init?(parsing text: String) {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard text.count == 10, parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2,
              parts.allSatisfy({ $0.allSatisfy(\.isASCII) && $0.allSatisfy(\.isNumber) }),
              let year = Int(parts[0]), let month = Int(parts[1]), let day = Int(parts[2]),
              (1970...9999).contains(year), (1...12).contains(month), (1...Self.daysIn(month: month, year: year)).contains(day)
        else { return nil }
        self.init(year: year, month: month, day: day)
    }

    init(year: Int, month: Int, day: Int) {
        self.year = year
        self.month = month
        self.day = day
    }

    /// The day `instant` falls on in `zone` (UTC when the zone is unknown to Foundation).
    init(_ instant: Date, in zone: String) {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: zone) ?? TimeZone(identifier: "UTC")!
        let parts = calendar.dateComponents([.year, .month, .day], from: instant)
        self.init(year: parts.year ?? 1970, month: parts.month ?? 1, day: parts.day ?? 1)
    }

    static func isLeap(_ year: Int) -> Bool { year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) }

    static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: isLeap(year) ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }

    /// Days since 1970-01-01.
    var dayNumber: Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    init(dayNumber: Int) {
        let z = dayNumber + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let mp = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        self.init(year: yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month: month, day: day)
    }

    func adding(days: Int) -> LocalDate { LocalDate(dayNumber: dayNumber + days) }

    /// 0 on Monday … 6 on Sunday (1970-01-01 was a Thursday).
    var daysSinceMonday: Int { ((dayNumber + 3) % 7 + 7) % 7 }

    var description: String {
        CalendarDay.text(year: year, month: month, day: day)
    }

    static func < (lhs: LocalDate, rhs: LocalDate) -> Bool { lhs.dayNumber < rhs.dayNumber }
}

/// One board in one period: what the aggregates are keyed by.
struct LeaderboardKey: Sendable, Equatable {
    /// The global boards' `course_id` in storage.
    static let global = UUID(uuidString: "00000000-0000-0000-0000-000000000000")!

    var period: LeaderboardPeriod
    /// The day asked about (today by default): the board is the period containing it.
    var day: LocalDate
    var courseID: UUID?

    var start: LocalDate { period.start(containing: day) }
    var end: LocalDate? { period.end(containing: day) }
    var scope: UUID { courseID ?? Self.global }
}
