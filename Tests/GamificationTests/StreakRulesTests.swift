import Contracts
import Foundation
@testable import Gamification
import Testing

/// The streak rules without a database: local days, settling missed days, new and late activity.
@Suite struct StreakRulesTests {
    static func day(_ iso: String) -> LocalDay { LocalDay(iso: iso)! }
    let policy = StreakPolicy.defaults

    /// What the store does for an activity: settle the days before it, then apply it.
    func active(_ iso: String, _ state: inout StreakState, _ days: inout [LocalDay: StreakDayKind]) -> [StreakChange] {
        let day = Self.day(iso)
        var changes = StreakRules.settle(&state, through: day - 1)
        for case .frozen(let frozen, _, _) in changes { days[frozen] = .frozen }
        changes += StreakRules.activity(on: day, &state, days: days, policy: policy)
        days[day] = .active
        return changes
    }

    @Test func localDaysCountAcrossMonthsYearsAndLeapDays() {
        #expect(Self.day("1970-01-01").ordinal == 0)
        #expect(Self.day("2026-03-08") + 1 == Self.day("2026-03-09"))
        #expect((Self.day("2028-02-28") + 1).iso == "2028-02-29" && (Self.day("2026-02-28") + 1).iso == "2026-03-01")
        #expect((Self.day("2026-12-31") + 1).iso == "2027-01-01" && (Self.day("2000-03-01") - 1).iso == "2000-02-29")
        for text in ["2026-02-29", "2026-13-01", "2026-3-08", "20260308", "", "2026-03-08T00:00"] { #expect(LocalDay(iso: text) == nil, "\(text)") }
        for ordinal in stride(from: -700_000, through: 2_900_000, by: 997) {
            #expect(LocalDay(iso: LocalDay(ordinal: ordinal).iso)?.ordinal == ordinal)
        }
    }

    @Test func consecutiveDaysExtendAndTheSameDayCountsOnce() {
        var state = StreakState(freezesAvailable: 3), days: [LocalDay: StreakDayKind] = [:]
        #expect(active("2026-05-01", &state, &days) == [.extended(day: Self.day("2026-05-01"), current: 1, longest: 1)])
        #expect(active("2026-05-01", &state, &days) == [])
        #expect(active("2026-05-02", &state, &days) == [.extended(day: Self.day("2026-05-02"), current: 2, longest: 2)])
        #expect(state.current == 2 && state.longest == 2 && state.freezesAvailable == 3 && state.freezesUsed == 0)
        #expect(state.lastActivityDay == Self.day("2026-05-02") && state.coveredThrough == Self.day("2026-05-02"))
    }

    @Test func missedDaysUseOneFreezeEachThenBreak() {
        var state = StreakState(current: 4, longest: 6, lastActivityDay: Self.day("2026-05-10"), coveredThrough: Self.day("2026-05-10"),
                                freezesAvailable: 2)
        #expect(StreakRules.settle(&state, through: Self.day("2026-05-10")) == [])
        let changes = StreakRules.settle(&state, through: Self.day("2026-05-20"))
        #expect(changes == [.frozen(day: Self.day("2026-05-11"), freezesLeft: 1, current: 4),
                            .frozen(day: Self.day("2026-05-12"), freezesLeft: 0, current: 4),
                            .broken(day: Self.day("2026-05-13"), previous: 4)])
        #expect(state.current == 0 && state.longest == 6 && state.freezesUsed == 2 && state.freezesAvailable == 0)
        #expect(state.coveredThrough == Self.day("2026-05-12") && state.lastBrokenOn == Self.day("2026-05-13"))
        // Settling again, or further, changes nothing: a broken streak has nothing to protect.
        #expect(StreakRules.settle(&state, through: Self.day("2026-06-30")) == [])
        var days: [LocalDay: StreakDayKind] = [:]
        #expect(StreakRules.activity(on: Self.day("2026-05-25"), &state, days: days, policy: policy)
                == [.extended(day: Self.day("2026-05-25"), current: 1, longest: 6)])
        days[Self.day("2026-05-25")] = .active
        #expect(state.coveredThrough == Self.day("2026-05-25"))
    }

    @Test func aLateEventForAFrozenDayGivesTheFreezeBack() {
        var state = StreakState(freezesAvailable: 3), days: [LocalDay: StreakDayKind] = [:]
        _ = active("2026-07-01", &state, &days)
        let skipped = active("2026-07-03", &state, &days)
        #expect(skipped == [.frozen(day: Self.day("2026-07-02"), freezesLeft: 2, current: 1),
                            .extended(day: Self.day("2026-07-03"), current: 2, longest: 2)])
        #expect(StreakRules.needsHistory(Self.day("2026-07-02"), state, kind: .frozen))
        #expect(active("2026-07-02", &state, &days) == [.extended(day: Self.day("2026-07-02"), current: 3, longest: 3)])
        #expect(state.freezesAvailable == 3 && state.freezesUsed == 0 && state.coveredThrough == Self.day("2026-07-03"))
        #expect(state.lastActivityDay == Self.day("2026-07-03"))
        // Again for an active day, or one long before the run: nothing changes.
        let before = state
        #expect(active("2026-07-02", &state, &days) == [] && state == before)
        #expect(active("2026-06-20", &state, &days) == [] && state.current == 3 && state.longest == 3)
    }

    @Test func aLateEventJoinsTheRunsAroundTheDayTheStreakBrokeOn() {
        var state = StreakState(freezesAvailable: 0), days: [LocalDay: StreakDayKind] = [:]
        _ = active("2026-08-01", &state, &days)
        _ = active("2026-08-02", &state, &days)
        #expect(active("2026-08-04", &state, &days) == [.broken(day: Self.day("2026-08-03"), previous: 2),
                                                         .extended(day: Self.day("2026-08-04"), current: 1, longest: 2)])
        #expect(active("2026-08-03", &state, &days) == [.extended(day: Self.day("2026-08-03"), current: 4, longest: 4)])
        #expect(state.coveredThrough == Self.day("2026-08-04"))

        // The same when nothing came after the break yet: the late day revives the streak.
        var alone = StreakState(freezesAvailable: 0), aloneDays: [LocalDay: StreakDayKind] = [:]
        _ = active("2026-08-01", &alone, &aloneDays)
        #expect(StreakRules.settle(&alone, through: Self.day("2026-08-05")) == [.broken(day: Self.day("2026-08-02"), previous: 1)])
        #expect(StreakRules.needsHistory(Self.day("2026-08-02"), alone, kind: nil))
        #expect(active("2026-08-02", &alone, &aloneDays) == [.extended(day: Self.day("2026-08-02"), current: 2, longest: 2)])
        #expect(alone.coveredThrough == Self.day("2026-08-02"))
        // ...and the days still missed after it are settled again.
        #expect(StreakRules.settle(&alone, through: Self.day("2026-08-05")) == [.broken(day: Self.day("2026-08-03"), previous: 2)])
    }

    @Test func aLateEventInABrokenRunDoesNotReviveIt() {
        var state = StreakState(freezesAvailable: 1), days: [LocalDay: StreakDayKind] = [:]
        _ = active("2026-09-01", &state, &days)
        _ = active("2026-09-03", &state, &days)  // 09-02 frozen
        #expect(StreakRules.settle(&state, through: Self.day("2026-09-10")) == [.broken(day: Self.day("2026-09-04"), previous: 2)])
        #expect(active("2026-09-02", &state, &days) == [])
        #expect(state.current == 0 && state.longest == 3 && state.freezesAvailable == 1 && state.freezesUsed == 0)
    }

    @Test func everySeventhActiveDayEarnsAFreezeUpToTheCap() {
        var state = StreakState(freezesAvailable: 3), days: [LocalDay: StreakDayKind] = [:]
        var first = Self.day("2026-10-01")
        for offset in 0..<21 { _ = active((first + offset).iso, &state, &days) }
        #expect(state.current == 21 && state.freezesAvailable == 5)
        first = first + 21
        for offset in 0..<7 { _ = active((first + offset).iso, &state, &days) }
        #expect(state.current == 28 && state.freezesAvailable == 5)
    }
}

/// The streak events' wire form (snake_case, the day as a local date).
@Suite struct StreakEventPayloadTests {
    @Test func payloadsArePinned() throws {
        let user = UUID(uuidString: "AAAAAAAA-0000-4000-8000-000000000001")!
        let encode = { (payload: any EventPayload) in String(decoding: try LyceumJSON.encoder().encode(payload), as: UTF8.self) }
        #expect(try encode(StreakExtended(userId: user, day: "2026-03-08", current: 3, longest: 5))
                == #"{"current":3,"day":"2026-03-08","longest":5,"user_id":"AAAAAAAA-0000-4000-8000-000000000001"}"#)
        #expect(try encode(StreakFrozen(userId: user, day: "2026-03-09", freezesLeft: 2, current: 3))
                == #"{"current":3,"day":"2026-03-09","freezes_left":2,"user_id":"AAAAAAAA-0000-4000-8000-000000000001"}"#)
        #expect(try encode(StreakBroken(userId: user, day: "2026-03-10", previousStreak: 3))
                == #"{"day":"2026-03-10","previous_streak":3,"user_id":"AAAAAAAA-0000-4000-8000-000000000001"}"#)
        #expect([StreakExtended.eventType, StreakFrozen.eventType, StreakBroken.eventType]
                == ["gamification.streak_extended", "gamification.streak_frozen", "gamification.streak_broken"])
    }
}

extension StreakRulesTests {
    /// A batch of a learner's days gives what the days one by one give (with the whole history
    /// whenever a day is late): the same state, days and changes, for many random orders.
    @Test func aBatchOfDaysEqualsTheDaysOneByOne() {
        var generator = SystemRandomNumberGenerator()
        let start = Self.day("2026-03-01")
        for _ in 0..<500 {
            let offsets = (0..<Int.random(in: 1...12, using: &generator)).map { _ in Int.random(in: 0..<20, using: &generator) }
            let batches = offsets.chunked(Int.random(in: 1...4, using: &generator))
            var oneByOne = StreakState(freezesAvailable: Int.random(in: 0...3, using: &generator)), oneDays: [LocalDay: StreakDayKind] = [:]
            var batched = oneByOne, batchDays: [LocalDay: StreakDayKind] = [:]
            var oneChanges: [StreakChange] = [], batchChanges: [StreakChange] = []
            for batch in batches {
                for offset in batch { oneChanges += active((start + offset).iso, &oneByOne, &oneDays) }
                // The store knows the batch's own days at first, and reads the rest only when asked to.
                let days = batch.map { start + $0 }
                var known = batchDays.filter { days.contains($0.key) }
                if let changes = StreakRules.apply(days, to: &batched, days: &known, complete: false, policy: policy) {
                    batchChanges += changes
                    batchDays.merge(known) { _, new in new }
                } else {
                    var all = batchDays
                    batchChanges += StreakRules.apply(days, to: &batched, days: &all, complete: true, policy: policy) ?? []
                    batchDays = all
                }
            }
            #expect(batched == oneByOne && batchDays == oneDays && batchChanges == oneChanges, "\(offsets) in \(batches)")
        }
    }
}

extension Array {
    func chunked(_ size: Int) -> [[Element]] {
        stride(from: 0, to: count, by: size).map { Array(self[$0..<Swift.min($0 + size, count)]) }
    }
}
