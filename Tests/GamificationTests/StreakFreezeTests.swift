import Contracts
import Foundation
@testable import Gamification
import LyceumTestSupport
import PostgresNIO
import ServiceKit
import Testing

/// Freezes cover missed days one each, the settling job notices missed days without a new
/// activity, late events repair what they can, and every event is written exactly once.
@Suite struct StreakFreezeTests {
    static let extended = StreakExtended.eventType, frozen = StreakFrozen.eventType, broken = StreakBroken.eventType

    @Test func theJobUsesAFreezePerMissedDayThenBreaksTheStreakAndRunningItAgainChangesNothing() async throws {
        try await GamificationHarness.with(settings: GamificationHarness.streakSettings) { app in
            let learner = UUID()
            try await app.completeLesson(learner, at: instant("2026-06-01T12:00:00Z"))
            try await app.completeLesson(learner, at: instant("2026-06-02T12:00:00Z"))
            try await app.settled()
            #expect(try await app.storedStreak(learner) == .init(current: 2, longest: 2, lastActivityDay: "2026-06-02", available: 3, used: 0))

            // Half an hour into 06-04 the day before (06-03) is not yet settled: late events get an hour's grace.
            #expect(try await app.settleStreaks(now: "2026-06-04T00:30:00Z") == 0)
            #expect(try await app.settleStreaks(now: "2026-06-04T12:00:00Z") == 1)
            #expect(try await app.storedStreak(learner) == .init(current: 2, longest: 2, lastActivityDay: "2026-06-02", available: 2, used: 1))
            #expect(try await app.streakDays(learner)["2026-06-03"] == "frozen")
            #expect(try await app.settleStreaks(now: "2026-06-04T12:00:00Z") == 0)
            #expect(try await app.streakEvents(Self.frozen, learner) == ["2026-06-03"])

            // Four more missed days: two freezes left, then the streak breaks on the third.
            #expect(try await app.settleStreaks(now: "2026-06-08T12:00:00Z") == 1)
            #expect(try await app.storedStreak(learner) == .init(current: 0, longest: 2, lastActivityDay: "2026-06-02", available: 0, used: 3))
            #expect(try await app.streakEvents(Self.frozen, learner) == ["2026-06-03", "2026-06-04", "2026-06-05"])
            #expect(try await app.streakEvents(Self.broken, learner) == ["2026-06-06"])
            #expect(try await app.database.query("""
                SELECT (payload->>'previous_streak')::int FROM gamification.outbox WHERE type = \(Self.broken)
                """).decode(Int.self).all() == [2])
            for now in ["2026-06-08T12:00:00Z", "2026-06-20T12:00:00Z"] { #expect(try await app.settleStreaks(now: now) == 0) }
            #expect(try await app.streakEvents(Self.frozen, learner).count == 3)
            #expect(try await app.streakEvents(Self.broken, learner).count == 1)
            #expect(try await app.count("SELECT count(*)::int FROM gamification.streak_days WHERE kind = 'frozen'") == 3)

            // Back after the break: a new streak of one.
            try await app.completeLesson(learner, at: instant("2026-06-21T12:00:00Z"))
            try await app.settled()
            #expect(try await app.storedStreak(learner) == .init(current: 1, longest: 2, lastActivityDay: "2026-06-21", available: 0, used: 3))
            #expect(try await app.streakEvents(Self.extended, learner) == ["2026-06-01", "2026-06-02", "2026-06-21"])
            #expect(try await app.streakEvents(Self.broken, learner).count == 1)
        }
    }

    @Test func aLearnerBackBeforeTheJobRanSettlesTheMissedDaysInTheActivitysTransaction() async throws {
        try await GamificationHarness.with(settings: GamificationHarness.streakSettings) { app in
            let learner = UUID()
            try await app.completeLesson(learner, at: instant("2026-06-01T12:00:00Z"))
            try await app.completeLesson(learner, at: instant("2026-06-04T12:00:00Z"))
            try await app.settled()
            #expect(try await app.storedStreak(learner) == .init(current: 2, longest: 2, lastActivityDay: "2026-06-04", available: 1, used: 2))
            #expect(try await app.streakEvents(Self.frozen, learner) == ["2026-06-02", "2026-06-03"])
            #expect(try await app.streakEvents(Self.extended, learner) == ["2026-06-01", "2026-06-04"])
            // The job finds nothing left to do for those days.
            #expect(try await app.settleStreaks(now: "2026-06-05T12:00:00Z") == 0)
            #expect(try await app.streakEvents(Self.frozen, learner).count == 2)

            // Three missed days with one freeze left: the next activity breaks the old streak first.
            try await app.completeLesson(learner, at: instant("2026-06-08T12:00:00Z"))
            try await app.settled()
            #expect(try await app.storedStreak(learner) == .init(current: 1, longest: 2, lastActivityDay: "2026-06-08", available: 0, used: 3))
            #expect(try await app.streakEvents(Self.frozen, learner) == ["2026-06-02", "2026-06-03", "2026-06-05"])
            #expect(try await app.streakEvents(Self.broken, learner) == ["2026-06-06"])
        }
    }

    @Test func aLateEventForAFrozenDayMakesItActiveAndGivesTheFreezeBack() async throws {
        try await GamificationHarness.with(settings: GamificationHarness.streakSettings) { app in
            let learner = UUID()
            try await app.completeLesson(learner, at: instant("2026-07-01T12:00:00Z"))
            try await app.completeLesson(learner, at: instant("2026-07-03T12:00:00Z"))
            try await app.settled()
            #expect(try await app.storedStreak(learner) == .init(current: 2, longest: 2, lastActivityDay: "2026-07-03", available: 2, used: 1))
            try await app.completeLesson(learner, at: instant("2026-07-02T18:00:00Z"))
            try await app.settled()
            #expect(try await app.storedStreak(learner) == .init(current: 3, longest: 3, lastActivityDay: "2026-07-03", available: 3, used: 0))
            #expect(try await app.streakDays(learner) == ["2026-07-01": "active", "2026-07-02": "active", "2026-07-03": "active"])
            // More activity on days already active (late or not) changes nothing and says nothing.
            try await app.completeLesson(learner, at: instant("2026-07-02T20:00:00Z"))
            try await app.completeLesson(learner, at: instant("2026-07-01T08:00:00Z"))
            try await app.emit(QuizPassed(userId: learner, quizId: UUID(), lessonId: UUID(), courseId: UUID(), attemptId: UUID(),
                                          attemptNumber: 1, score: 5, maxScore: 5, percentage: 100, passedAt: instant("2026-07-03T13:00:00Z")),
                               user: learner, at: instant("2026-07-03T13:00:00Z"))
            try await app.settled()
            #expect(try await app.storedStreak(learner) == .init(current: 3, longest: 3, lastActivityDay: "2026-07-03", available: 3, used: 0))
            #expect(try await app.streakEvents(Self.extended, learner) == ["2026-07-01", "2026-07-03", "2026-07-02"])
            #expect(try await app.streakEvents(Self.frozen, learner) == ["2026-07-02"])
        }
    }

    @Test func aLateEventForTheDayTheStreakBrokeOnJoinsTheRuns() async throws {
        try await GamificationHarness.with(settings: GamificationHarness.streakSettings.merging(["GAMIFICATION_STREAK_FREEZES_START": "0"]) { $1 }) { app in
            let learner = UUID()
            for day in ["2026-08-01", "2026-08-02", "2026-08-04"] { try await app.completeLesson(learner, at: instant("\(day)T12:00:00Z")) }
            try await app.settled()
            #expect(try await app.storedStreak(learner) == .init(current: 1, longest: 2, lastActivityDay: "2026-08-04", available: 0, used: 0))
            #expect(try await app.streakEvents(Self.broken, learner) == ["2026-08-03"])
            try await app.completeLesson(learner, at: instant("2026-08-03T23:00:00Z"))
            try await app.settled()
            #expect(try await app.storedStreak(learner) == .init(current: 4, longest: 4, lastActivityDay: "2026-08-04", available: 0, used: 0))
            #expect(try await app.streakEvents(Self.extended, learner) == ["2026-08-01", "2026-08-02", "2026-08-04", "2026-08-03"])
            #expect(try await app.streakEvents(Self.broken, learner).count == 1)
        }
    }

    @Test func sevenActiveDaysInARowEarnAFreezeUpToTheCap() async throws {
        try await GamificationHarness.with(settings: GamificationHarness.streakSettings.merging(["GAMIFICATION_STREAK_FREEZE_CAP": "4"]) { $1 }) { app in
            let learner = UUID()
            for day in 1...14 { try await app.completeLesson(learner, at: instant(String(format: "2026-09-%02dT10:00:00Z", day))) }
            try await app.settled()
            // 3 to start, one at day 7; the cap (4) stops the one at day 14.
            #expect(try await app.storedStreak(learner) == .init(current: 14, longest: 14, lastActivityDay: "2026-09-14", available: 4, used: 0))
            #expect(try await app.streakEvents(Self.extended, learner).count == 14)
        }
    }

    @Test func twoJobsAtOnceSettleEachLearnerOnceInBatches() async throws {
        try await GamificationHarness.with(settings: GamificationHarness.streakSettings) { app in
            let learners = (0..<120).map { _ in UUID() }
            try await app.database.query("""
                INSERT INTO gamification.user_streaks (user_id, current_streak, longest_streak, last_activity_day, covered_through, freezes_available)
                SELECT id, 5, 5, '2026-05-01', '2026-05-01', CASE WHEN n % 2 = 0 THEN 3 ELSE 0 END
                FROM unnest(\(learners)::uuid[]) WITH ORDINALITY AS l(id, n)
                """)
            let store = app.streakStore()
            async let first = store.settleAllDue(now: instant("2026-05-03T12:00:00Z"), grace: .seconds(3600), batch: 7, logger: TestPostgres.logger)
            async let second = store.settleAllDue(now: instant("2026-05-03T12:00:00Z"), grace: .seconds(3600), batch: 7, logger: TestPostgres.logger)
            let settled = try await first + second
            #expect(settled == 120)
            // Half had freezes (one used for 05-02), half broke on 05-02.
            #expect(try await app.count("SELECT count(*)::int FROM gamification.outbox WHERE type = 'gamification.streak_frozen'") == 60)
            #expect(try await app.count("SELECT count(*)::int FROM gamification.outbox WHERE type = 'gamification.streak_broken'") == 60)
            #expect(try await app.count("SELECT count(DISTINCT subject)::int FROM gamification.outbox WHERE type LIKE 'gamification.streak_%'") == 120)
            #expect(try await app.count("SELECT count(*)::int FROM gamification.streak_days WHERE kind = 'frozen' AND day = '2026-05-02'") == 60)
            #expect(try await app.count("SELECT count(*)::int FROM gamification.user_streaks WHERE current_streak = 0") == 60)
            #expect(try await app.settleStreaks(now: "2026-05-03T12:00:00Z") == 0)
        }
    }
}
