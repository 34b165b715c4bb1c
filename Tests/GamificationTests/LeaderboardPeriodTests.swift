import Foundation
import Testing

/// Which period an award counts in: the platform timezone's days, Monday weeks, per course.
@Suite struct LeaderboardPeriodTests {
    @Test func periodsBeginAtLocalMidnightOnMondaysAndLateEventsCountInTheirOwnPeriod() async throws {
        // Tokyo is UTC+9 without DST: both instants are on Sunday 31 May in UTC.
        try await GamificationHarness.with(settings: ["LYCEUM_TIMEZONE": "Asia/Tokyo"]) { app in
            let learner = UUID(), other = UUID()
            try await app.completeLesson(learner, at: instant("2026-05-31T14:30:00Z"), xpReward: 100) // Sun 23:30 local
            try await app.completeLesson(learner, at: instant("2026-05-31T15:30:00Z"), xpReward: 30) // Mon 00:30 local
            try await app.completeLesson(other, at: instant("2026-06-01T02:00:00Z"), xpReward: 60) // Mon 11:00 local
            try await app.settled()
            // A late event, received after the others, counts in January.
            try await app.completeLesson(other, at: instant("2026-01-15T12:00:00Z"), xpReward: 500)
            try await app.settled()

            let (_, sunday) = try await app.board("weekly?date=2026-05-31")
            #expect(xps(sunday) == [100] && ids(sunday) == [learner])
            #expect(sunday["period_start"] as? String == "2026-05-25" && sunday["period_end"] as? String == "2026-05-31")
            #expect(sunday["timezone"] as? String == "Asia/Tokyo")
            let (_, monday) = try await app.board("weekly?date=2026-06-03")
            #expect(xps(monday) == [60, 30] && ids(monday) == [other, learner] && ranks(monday) == [1, 2])
            #expect(monday["period_start"] as? String == "2026-06-01" && monday["period_end"] as? String == "2026-06-07")

            #expect(xps(try await app.board("daily?date=2026-05-31").1) == [100])
            #expect(xps(try await app.board("daily?date=2026-06-01").1) == [60, 30])
            #expect(xps(try await app.board("daily?date=2026-05-30").1) == [])

            let (_, may) = try await app.board("monthly?date=2026-05-15")
            #expect(xps(may) == [100] && may["period_start"] as? String == "2026-05-01" && may["period_end"] as? String == "2026-05-31")
            let (_, june) = try await app.board("monthly?date=2026-06-30")
            #expect(xps(june) == [60, 30] && june["period_end"] as? String == "2026-06-30")
            let (_, january) = try await app.board("monthly?date=2026-01-01")
            #expect(xps(january) == [500] && ids(january) == [other])
            #expect(xps(try await app.board("weekly?date=2026-01-15").1) == [500])

            let (_, allTime) = try await app.board("all_time")
            #expect(xps(allTime) == [560, 130] && ids(allTime) == [other, learner])
            // all_time ignores the date.
            #expect(xps(try await app.board("all_time?date=1999-01-01").1) == [560, 130])

            let (_, standing) = try await app.board("weekly/users/\(learner)?date=2026-05-31", as: learner)
            #expect(standing["xp"] as? Int == 100 && standing["rank"] as? Int == 1 && standing["ranked_learners"] as? Int == 1)
            #expect(standing["percentile"] as? Double == 0)
        }
    }

    @Test func courseBoardsCountOnlyTheirCourseAndCorrectionsLowerScores() async throws {
        try await GamificationHarness.with { app in
            let day = instant("2026-03-04T10:00:00Z")
            let courseA = UUID(), courseB = UUID()
            let u1 = UUID(), u2 = UUID()
            try await app.completeLesson(u1, at: day, course: courseA, xpReward: 50)
            try await app.completeLesson(u2, at: day, course: courseB, xpReward: 70)
            try await app.completeLesson(u1, at: day, course: courseB, xpReward: 40)
            try await app.settled()

            let (_, global) = try await app.board("daily?date=2026-03-04")
            #expect(ids(global) == [u1, u2] && xps(global) == [90, 70])
            let (_, a) = try await app.board("daily?date=2026-03-04&course_id=\(courseA)")
            #expect(ids(a) == [u1] && xps(a) == [50] && a["course_id"] as? String == courseA.uuidString && a["ranked_learners"] as? Int == 1)
            let (_, b) = try await app.board("weekly?date=2026-03-04&course_id=\(courseB)")
            #expect(ids(b) == [u2, u1] && xps(b) == [70, 40] && ranks(b) == [1, 2])
            let (_, onB) = try await app.board("all_time/users/\(u1)?course_id=\(courseB)", as: u1)
            #expect(onB["rank"] as? Int == 2 && onB["xp"] as? Int == 40 && onB["percentile"] as? Double == 0)
            let (_, elsewhere) = try await app.board("all_time?course_id=\(UUID())")
            #expect(entries(elsewhere).isEmpty && elsewhere["ranked_learners"] as? Int == 0)

            // A correction (a negative award) lowers the score on every board it touches.
            try await app.completeLesson(u1, at: day, course: courseB, xpReward: -60)
            try await app.settled()
            let (_, corrected) = try await app.board("daily?date=2026-03-04")
            #expect(ids(corrected) == [u2, u1] && xps(corrected) == [70, 30])
            let (_, bAfter) = try await app.board("monthly?date=2026-03-04&course_id=\(courseB)")
            #expect(ids(bAfter) == [u2, u1] && xps(bAfter) == [70, -20])
            let (_, standing) = try await app.board("daily/users/\(u1)?date=2026-03-04", as: u1)
            #expect(standing["rank"] as? Int == 2 && standing["xp"] as? Int == 30)
            #expect(try await app.aggregateMismatches(timeZone: "UTC") == 0)
            // Queued awards and their transactions' markers never outlive the commit (migration 0010).
            #expect(try await app.count("SELECT count(*)::int FROM gamification.leaderboard_pending") == 0)
            #expect(try await app.count("SELECT count(*)::int FROM gamification.leaderboard_pending_transactions") == 0)
        }
    }

    /// The top of a board and its score counts (from which ranks, percentiles and the number
    /// ranked follow) are kept for `GAMIFICATION_LEADERBOARD_CACHE_MS`, per board; a top per limit
    /// too. A learner's own XP is always read afresh. The age is ten minutes here so that a slow
    /// machine's award and settle cannot outlast it.
    @Test func aBoardsTopAndCountsAreServedFromTheCache() async throws {
        try await GamificationHarness.with(settings: ["GAMIFICATION_LEADERBOARD_CACHE_MS": "600000"]) { app in
            let day = instant("2026-03-04T10:00:00Z")
            let first = UUID(), second = UUID()
            try await app.completeLesson(first, at: day, xpReward: 50)
            try await app.settled()
            #expect(xps(try await app.board("daily?date=2026-03-04").1) == [50])
            let (_, alone) = try await app.board("daily/users/\(first)?date=2026-03-04", as: first)
            #expect(alone["rank"] as? Int == 1 && alone["ranked_learners"] as? Int == 1)
            try await app.completeLesson(second, at: day, xpReward: 70)
            try await app.settled()
            #expect(xps(try await app.board("daily?date=2026-03-04").1) == [50], "served from the cache")
            let (_, longer) = try await app.board("daily?date=2026-03-04&limit=10")
            #expect(xps(longer) == [70, 50], "another limit is another entry")
            #expect(longer["ranked_learners"] as? Int == 2, "never fewer than the kept counts' learners or the list's")
            // The newcomer's own XP is fresh and they count themselves among the kept counts.
            let (_, newcomer) = try await app.board("daily/users/\(second)?date=2026-03-04", as: second)
            #expect(newcomer["rank"] as? Int == 1 && newcomer["xp"] as? Int == 70 && newcomer["ranked_learners"] as? Int == 2
                    && newcomer["percentile"] as? Double == 50)
            let (_, kept) = try await app.board("daily/users/\(first)?date=2026-03-04", as: first)
            #expect(kept["rank"] as? Int == 1 && kept["ranked_learners"] as? Int == 1, "ranked among the counts kept")
        }
    }

    /// Once older than `GAMIFICATION_LEADERBOARD_CACHE_MS`, a top and a board's counts are read afresh.
    @Test func aCachedTopAndCountsAgeOut() async throws {
        try await GamificationHarness.with(settings: ["GAMIFICATION_LEADERBOARD_CACHE_MS": "300"]) { app in
            let day = instant("2026-03-04T10:00:00Z")
            let first = UUID()
            try await app.completeLesson(first, at: day, xpReward: 50)
            try await app.settled()
            #expect(xps(try await app.board("daily?date=2026-03-04").1) == [50])
            #expect(try await app.board("daily/users/\(first)?date=2026-03-04", as: first).1["rank"] as? Int == 1)
            try await app.completeLesson(UUID(), at: day, xpReward: 70)
            try await app.settled()
            try await Task.sleep(for: .milliseconds(400))
            #expect(xps(try await app.board("daily?date=2026-03-04").1) == [70, 50], "aged out")
            let (_, standing) = try await app.board("daily/users/\(first)?date=2026-03-04", as: first)
            #expect(standing["rank"] as? Int == 2 && standing["ranked_learners"] as? Int == 2)
            let (_, window) = try await app.board("daily/users/\(first)/around?date=2026-03-04", as: first)
            #expect(ranks(window) == [1, 2] && xps(window) == [70, 50])
        }
    }
}
