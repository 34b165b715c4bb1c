import Contracts
import Foundation
import Testing

/// Activity days are calendar days in each learner's own zone, across the US DST switches.
@Suite struct StreakTimezoneTests {
    static let extended = StreakExtended.eventType

    @Test func lateEveningsAcrossTheSpringSwitchExtendInBothZones() async throws {
        try await GamificationHarness.with(settings: GamificationHarness.streakSettings) { app in
            let newYork = UUID(), almaty = UUID()
            try await app.setTimezone(newYork, "America/New_York")
            try await app.setTimezone(almaty, "Asia/Almaty")
            // 23:30 in New York on 03-07 (EST), 00:30 and 23:30 on 03-08 (the switch to EDT), 23:30 on
            // 03-09; one afternoon instant that is already 03-09 in Almaty. The same instants for both.
            let instants = ["2026-03-08T04:30:00Z", "2026-03-08T05:30:00Z", "2026-03-08T19:30:00Z", "2026-03-09T03:30:00Z",
                            "2026-03-10T03:30:00Z"]
            for text in instants {
                try await app.completeLesson(newYork, at: instant(text))
                try await app.completeLesson(almaty, at: instant(text))
            }
            try await app.settled()
            #expect(try await app.streakDays(newYork) == ["2026-03-07": "active", "2026-03-08": "active", "2026-03-09": "active"])
            #expect(try await app.streakDays(almaty) == ["2026-03-08": "active", "2026-03-09": "active", "2026-03-10": "active"])
            #expect(try await app.storedStreak(newYork)
                    == .init(current: 3, longest: 3, lastActivityDay: "2026-03-09", available: 3, used: 0))
            #expect(try await app.storedStreak(almaty)
                    == .init(current: 3, longest: 3, lastActivityDay: "2026-03-10", available: 3, used: 0))
            #expect(try await app.streakEvents(Self.extended, newYork) == ["2026-03-07", "2026-03-08", "2026-03-09"])
            #expect(try await app.streakEvents(Self.extended, almaty) == ["2026-03-08", "2026-03-09", "2026-03-10"])
            #expect(try await app.count("SELECT count(*)::int FROM gamification.outbox WHERE type IN ('gamification.streak_frozen', 'gamification.streak_broken')") == 0)
        }
    }

    @Test func theRepeatedHourOfTheAutumnSwitchIsOneDay() async throws {
        try await GamificationHarness.with(settings: GamificationHarness.streakSettings) { app in
            let newYork = UUID(), almaty = UUID()
            try await app.setTimezone(newYork, "America/New_York")
            try await app.setTimezone(almaty, "Asia/Almaty")
            // 23:30 EDT on 10-31; 01:30 EDT and 01:30 EST on 11-01 (the hour that happens twice) and
            // 23:30 EST on 11-01; 23:30 EST on 11-02.
            let instants = ["2026-11-01T03:30:00Z", "2026-11-01T05:30:00Z", "2026-11-01T06:30:00Z", "2026-11-02T04:30:00Z",
                            "2026-11-03T04:30:00Z"]
            for text in instants {
                try await app.completeLesson(newYork, at: instant(text))
                try await app.completeLesson(almaty, at: instant(text))
            }
            try await app.settled()
            #expect(try await app.streakDays(newYork) == ["2026-10-31": "active", "2026-11-01": "active", "2026-11-02": "active"])
            #expect(try await app.streakDays(almaty) == ["2026-11-01": "active", "2026-11-02": "active", "2026-11-03": "active"])
            #expect(try await app.storedStreak(newYork)?.current == 3)
            #expect(try await app.storedStreak(almaty)?.current == 3)
            #expect(try await app.streakEvents(Self.extended, newYork).count == 3)
            #expect(try await app.streakEvents(Self.extended, almaty).count == 3)

            // The settling job counts "yesterday" in each zone too: at 03:30Z on 11-04 it is 22:30 on
            // 11-03 in New York (nothing missed yet) and 08:30 on 11-04 in Almaty (11-03 was active).
            #expect(try await app.settleStreaks(now: "2026-11-04T03:30:00Z", grace: .zero) == 0)
            // At 06:00Z on 11-04: New York's 11-03 has ended (one freeze), Almaty's has not been missed.
            #expect(try await app.settleStreaks(now: "2026-11-04T06:00:00Z", grace: .zero) == 1)
            #expect(try await app.streakEvents(StreakFrozen.eventType, newYork) == ["2026-11-03"])
            #expect(try await app.streakEvents(StreakFrozen.eventType, almaty) == [])
        }
    }

    @Test func learnersWithoutAZoneOfTheirOwnUseThePlatforms() async throws {
        try await GamificationHarness.with(settings: GamificationHarness.streakSettings.merging(["LYCEUM_TIMEZONE": "Asia/Almaty"]) { $1 }) { app in
            let learner = UUID()
            // 20:00Z is 01:00 (or 02:00) the next day in Almaty.
            try await app.completeLesson(learner, at: instant("2026-04-01T20:00:00Z"))
            try await app.settled()
            #expect(try await app.streakDays(learner) == ["2026-04-02": "active"])
        }
    }
}
