import Foundation
import ServiceKit

/// A calendar date in some learner's timezone, as a day number (days since 1970-01-01), so
/// "the next day" is `+ 1` whatever the clocks did that night. PostgreSQL computes which date an
/// instant falls on (`AT TIME ZONE`); this only counts days.
struct LocalDay: Hashable, Comparable, Sendable, CustomStringConvertible {
    let ordinal: Int

    init(ordinal: Int) {
        self.ordinal = ordinal
    }

    /// `2026-03-08`; nil for anything else.
    init?(iso text: String) {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2,
              let year = Int(parts[0]), let month = Int(parts[1]), let day = Int(parts[2]),
              (1...12).contains(month), (1...Self.daysIn(month: month, year: year)).contains(day) else { return nil }
        ordinal = Self.ordinal(year: year, month: month, day: day)
    }

    var iso: String {
        let (year, month, day) = civil
        return CalendarDay.text(year: year, month: month, day: day)
    }

    var description: String { iso }

    static func < (lhs: LocalDay, rhs: LocalDay) -> Bool { lhs.ordinal < rhs.ordinal }
    static func + (day: LocalDay, days: Int) -> LocalDay { LocalDay(ordinal: day.ordinal + days) }
    static func - (day: LocalDay, days: Int) -> LocalDay { LocalDay(ordinal: day.ordinal - days) }

    // Howard Hinnant's days_from_civil / civil_from_days (proleptic Gregorian).
    private static func ordinal(year: Int, month: Int, day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let doy = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    private var civil: (Int, Int, Int) {
        let z = ordinal + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let day = doy - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        return (yoe + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }

    private static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }
}

/// What a recorded day was: the learner was active, or a freeze covered it.
enum StreakDayKind: String, Sendable, Equatable {
    case active
    case frozen
}

/// How freezes are handed out.
struct StreakPolicy: Sendable, Equatable {
    /// Freezes a learner starts with (the seed's default 3).
    var freezesAtStart: Int
    /// The most a learner can hold; earning and grants stop there.
    var freezeCap: Int
    /// A live streak that reaches a multiple of this many active days earns one freeze.
    var earnEvery: Int = 7

    static let defaults = StreakPolicy(freezesAtStart: 3, freezeCap: 5)
}

/// One learner's streak as stored in `user_streaks`.
struct StreakState: Sendable, Equatable {
    /// Active days in the live run; 0: no live run (never active, or broken).
    var current = 0
    var longest = 0
    var lastActivityDay: LocalDay?
    /// The last day (active or frozen) of the latest run: live when `current > 0`, otherwise the
    /// run broke on the day after it.
    var coveredThrough: LocalDay?
    var freezesAvailable: Int
    var freezesUsed = 0
    var lastBrokenOn: LocalDay?

    init(current: Int = 0, longest: Int = 0, lastActivityDay: LocalDay? = nil, coveredThrough: LocalDay? = nil,
         freezesAvailable: Int, freezesUsed: Int = 0, lastBrokenOn: LocalDay? = nil) {
        self.current = current
        self.longest = longest
        self.lastActivityDay = lastActivityDay
        self.coveredThrough = coveredThrough
        self.freezesAvailable = freezesAvailable
        self.freezesUsed = freezesUsed
        self.lastBrokenOn = lastBrokenOn
    }

    var isLive: Bool { current > 0 }
}

/// What happened to a streak; each becomes one event (and a frozen day one `streak_days` row).
enum StreakChange: Sendable, Equatable {
    /// `day` became active and the live streak grew to `current`.
    case extended(day: LocalDay, current: Int, longest: Int)
    /// A missed `day` was covered by a freeze.
    case frozen(day: LocalDay, freezesLeft: Int, current: Int)
    /// A missed `day` found no freeze: the streak of `previous` days ended.
    case broken(day: LocalDay, previous: Int)
}

/// The streak rules, without a database: what missed days and a new activity day do to a streak.
///
/// - A run is consecutive local days, each active or covered by a freeze; its length (`current`)
///   counts the active days only. It starts with an active day.
/// - Settling through day `D` (the activity's day minus one, or the settling job's "yesterday"):
///   each missed day after the run's last covered day uses one freeze; with none left the streak
///   breaks on that day (`current` 0) and the later missed days cost nothing.
/// - An activity on a new day right after the live run extends it; one on a later day (after a
///   break) starts a new run of 1. Every activity that makes the live streak a multiple of
///   `earnEvery` active days earns one freeze, up to the cap.
/// - A late activity (a day at or before the run's last covered day): an already active day
///   changes nothing; a frozen day becomes active and its freeze is given back (up to the cap);
///   the live run is then recounted from the learner's days, so a late day that fills the gap
///   before the run (even the day a streak broke on) joins the runs on either side. A late day in
///   a run that already broke never revives it, but can raise `longest`.
enum StreakRules {
    /// Consumes freezes for the missed days after the live run, through `day`, or breaks the streak.
    static func settle(_ state: inout StreakState, through day: LocalDay) -> [StreakChange] {
        guard state.isLive, var covered = state.coveredThrough, covered < day else { return [] }
        var changes: [StreakChange] = []
        while covered < day {
            let missed = covered + 1
            if state.freezesAvailable > 0 {
                state.freezesAvailable -= 1
                state.freezesUsed += 1
                state.coveredThrough = missed
                changes.append(.frozen(day: missed, freezesLeft: state.freezesAvailable, current: state.current))
                covered = missed
            } else {
                changes.append(.broken(day: missed, previous: state.current))
                state.current = 0
                state.lastBrokenOn = missed
                break
            }
        }
        return changes
    }

    /// Whether `activity(on:)` needs the learner's recorded days besides `day`'s own kind: only
    /// for a late day, or one that fills the day a streak broke on.
    static func needsHistory(_ day: LocalDay, _ state: StreakState, kind: StreakDayKind?) -> Bool {
        guard kind != .active, let covered = state.coveredThrough else { return false }
        return day <= covered || (!state.isLive && day == covered + 1)
    }

    /// An activity on `day`, after `settle(through: day - 1)`. `days` holds the learner's
    /// recorded days: at least `day`'s own, and all of them when `needsHistory` says so.
    static func activity(on day: LocalDay, _ state: inout StreakState, days: [LocalDay: StreakDayKind],
                         policy: StreakPolicy) -> [StreakChange] {
        state.lastActivityDay = max(state.lastActivityDay ?? day, day)
        let kind = days[day]
        if kind == .active { return [] }
        if kind == .frozen {
            state.freezesAvailable = min(policy.freezeCap, state.freezesAvailable + 1)
            state.freezesUsed = max(0, state.freezesUsed - 1)
        }
        let before = state.isLive ? state.current : 0
        guard let covered = state.coveredThrough else {
            return grow(&state, day: day, to: 1, through: day, before: before, policy: policy)
        }
        if day > covered + 1 || (day == covered + 1 && state.isLive) {
            return grow(&state, day: day, to: state.isLive ? state.current + 1 : 1, through: day, before: before, policy: policy)
        }
        // A late day, or the day a streak broke on: recount from the recorded days.
        var history = days
        history[day] = .active
        let last = max(covered, day)
        var end = day
        while history[end + 1] != nil { end = end + 1 }
        state.longest = max(state.longest, activeDays(inRunEndingAt: end, history))
        guard state.isLive || day == covered + 1 else { return [] }
        return grow(&state, day: day, to: activeDays(inRunEndingAt: last, history), through: last, before: before, policy: policy)
    }

    /// A learner's activity days, in the order their events arrived: each settles the missed days
    /// before it, then joins the streak. `days` holds the learner's recorded days as far as known
    /// (`complete`: all of them) and is kept up to date. Nil, with `state` and `days` untouched,
    /// when a day needs the whole history and `days` is not complete.
    static func apply(_ activityDays: [LocalDay], to state: inout StreakState, days: inout [LocalDay: StreakDayKind], complete: Bool,
                      policy: StreakPolicy) -> [StreakChange]? {
        var working = state, known = days, changes: [StreakChange] = []
        for day in activityDays {
            let settled = settle(&working, through: day - 1)
            for case .frozen(let frozen, _, _) in settled { known[frozen] = .frozen }
            changes += settled
            if !complete && needsHistory(day, working, kind: known[day]) { return nil }
            changes += activity(on: day, &working, days: known, policy: policy)
            known[day] = .active
        }
        state = working
        days = known
        return changes
    }

    /// Active days in the run of recorded days that ends on `last`.
    static func activeDays(inRunEndingAt last: LocalDay, _ days: [LocalDay: StreakDayKind]) -> Int {
        var count = 0
        var day = last
        while let kind = days[day] {
            if kind == .active { count += 1 }
            day = day - 1
        }
        return count
    }

    private static func grow(_ state: inout StreakState, day: LocalDay, to current: Int, through last: LocalDay, before: Int,
                             policy: StreakPolicy) -> [StreakChange] {
        state.coveredThrough = max(state.coveredThrough ?? last, last)
        guard current > before else { return [] }
        state.current = current
        state.longest = max(state.longest, current)
        if policy.earnEvery > 0, current % policy.earnEvery == 0 {
            state.freezesAvailable = max(state.freezesAvailable, min(policy.freezeCap, state.freezesAvailable + 1))
        }
        return [.extended(day: day, current: current, longest: state.longest)]
    }
}
