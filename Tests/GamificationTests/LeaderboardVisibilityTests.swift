import Foundation
import LyceumTestSupport
import PostgresNIO
import ServiceKit
import Testing

/// Anonymous and hidden learners, and aggregates that stay equal to the ledger under concurrency.
@Suite struct LeaderboardVisibilityTests {
    @Test func anonymousLearnersHaveNoIdAndHiddenOnesAreNeitherListedNorCounted() async throws {
        try await GamificationHarness.with { app in
            let day = instant("2026-03-04T10:00:00Z")
            let visible = UUID(), anonymous = UUID(), hidden = UUID(), fourth = UUID(), hiddenFromTheStart = UUID()
            try await app.setVisibility(anonymous, "anonymous")
            try await app.setVisibility(hidden, "hidden")
            try await app.setVisibility(hiddenFromTheStart, "hidden")
            for (user, xp) in [(visible, 100), (anonymous, 80), (hidden, 120), (fourth, 60), (hiddenFromTheStart, 1000)] {
                try await app.completeLesson(user, at: day, xpReward: xp)
            }
            try await app.settled()

            let (_, board) = try await app.board("daily?date=2026-03-04")
            #expect(ids(board) == [visible, nil, fourth] && ranks(board) == [1, 2, 3] && xps(board) == [100, 80, 60])
            #expect(entries(board).map { $0["anonymous"] as? Bool } == [false, true, false])
            #expect(board["ranked_learners"] as? Int == 3)

            // A hidden learner still sees where they would stand, among the ranked learners.
            let (_, own) = try await app.board("daily/users/\(hidden)?date=2026-03-04", as: hidden)
            #expect(own["rank"] as? Int == 1 && own["listed"] as? Bool == false && own["visibility"] as? String == "hidden")
            #expect(own["ranked_learners"] as? Int == 3 && own["percentile"] as? Double == 100)
            let (_, ownWindow) = try await app.board("daily/users/\(hidden)/around?date=2026-03-04&size=1", as: hidden)
            #expect(ids(ownWindow) == [hidden, visible] && ranks(ownWindow) == [1, 1])
            // Others rank as if the hidden learner were not there.
            #expect(try await app.board("daily/users/\(visible)?date=2026-03-04", as: visible).1["rank"] as? Int == 1)
            // The anonymous learner's own window names them; the others' do not.
            let (_, anonymousWindow) = try await app.board("daily/users/\(anonymous)/around?date=2026-03-04&size=1", as: anonymous)
            #expect(ids(anonymousWindow) == [visible, anonymous, fourth])
            let (_, fourthWindow) = try await app.board("daily/users/\(fourth)/around?date=2026-03-04&size=1", as: fourth)
            #expect(ids(fourthWindow) == [nil, fourth] && ranks(fourthWindow) == [2, 3])

            // hidden -> visible: back on every board, counted; visible -> hidden: gone from all.
            try await app.setVisibility(hidden, "visible")
            try await app.setVisibility(visible, "hidden")
            let (_, after) = try await app.board("daily?date=2026-03-04")
            #expect(ids(after) == [hidden, nil, fourth] && ranks(after) == [1, 2, 3] && after["ranked_learners"] as? Int == 3)
            #expect(try await app.board("daily/users/\(fourth)?date=2026-03-04", as: fourth).1["rank"] as? Int == 3)
            let (_, allTime) = try await app.board("all_time")
            #expect(ids(allTime) == [hidden, nil, fourth])
            // anonymous -> visible changes only how they are shown.
            try await app.setVisibility(anonymous, "visible")
            try await app.setVisibility(hidden, "visible")
            #expect(ids(try await app.board("weekly?date=2026-03-04").1) == [hidden, anonymous, fourth])
            // Back and forth many times: the counts follow.
            for _ in 0..<3 {
                try await app.setVisibility(fourth, "hidden")
                try await app.setVisibility(fourth, "anonymous")
            }
            let (_, final) = try await app.board("monthly?date=2026-03-04")
            #expect(ranks(final) == [1, 2, 3] && ids(final) == [hidden, anonymous, nil] && final["ranked_learners"] as? Int == 3)
            #expect(try await app.aggregateMismatches(timeZone: "UTC") == 0)
        }
    }

    /// Awards from the bus (applied in batches: several awards per transaction) and, at the same
    /// time, direct awards on 8 connections (as manual awards would write them: ledger row and
    /// `leaderboard_add` in one transaction) and visibility switches: none fails (no deadlock), and
    /// afterwards every aggregate equals a scan of the ledger.
    @Test func aggregatesEqualALedgerScanAfterABurstOfConcurrentAwards() async throws {
        let zone = "America/New_York"
        try await GamificationHarness.with(settings: ["LYCEUM_TIMEZONE": zone]) { app in
            let learners = (0..<12).map { _ in UUID() }
            let courses = (0..<3).map { _ in UUID() }
            // Around the DST change (8 March 2026) and a month boundary; a few awards share scores.
            let base = instant("2026-02-25T00:00:00Z").timeIntervalSince1970
            let amounts = [25, 50, 50, 75, 100, -30]
            try await withThrowingTaskGroup(of: Void.self) { group in
                for worker in 0..<4 {
                    group.addTask {
                        for index in 0..<40 {
                            let user = learners[(worker * 7 + index) % learners.count]
                            let at = Date(timeIntervalSince1970: base + Double((worker * 40 + index) * 4_513 % (20 * 86_400)))
                            try await app.completeLesson(user, at: at, course: courses[index % 3], xpReward: amounts[index % amounts.count])
                        }
                    }
                }
                for worker in 0..<8 {
                    group.addTask {
                        try await app.database.withConnection { connection in
                            for index in 0..<25 {
                                let user = learners[(worker + index * 5) % learners.count]
                                let course: UUID? = index % 4 == 0 ? nil : courses[(worker + index) % 3]
                                let at = Date(timeIntervalSince1970: base + Double((worker * 25 + index) * 7_919 % (20 * 86_400)))
                                let amount = amounts[(worker + index) % amounts.count]
                                try await connection.transaction(logger: TestPostgres.logger) { connection in
                                    let event = UUID()
                                    try await connection.query("""
                                        INSERT INTO gamification.activity_log (event_id, type, user_id, course_id, occurred_at)
                                        VALUES (\(event), 'manual', \(user), \(course), \(at))
                                        """, logger: TestPostgres.logger)
                                    try await connection.query("""
                                        INSERT INTO gamification.xp_ledger (user_id, currency, amount, reason, source_event_id)
                                        VALUES (\(user), 'xp', \(amount), 'manual', \(event))
                                        """, logger: TestPostgres.logger)
                                    _ = try await connection.query("""
                                        SELECT 1 FROM gamification.leaderboard_add(\(user), \(course), \(at), \(Int64(amount)), \(zone))
                                        """, logger: TestPostgres.logger).collect()
                                }
                            }
                        }
                    }
                }
                group.addTask {
                    for round in 0..<12 {
                        let visibility = ["hidden", "visible", "anonymous"][round % 3]
                        try await app.setVisibility(learners[round % 4], visibility)
                    }
                }
                try await group.waitForAll()
            }
            try await app.settled()

            let ledgerRows = try await app.count("SELECT count(*)::int FROM gamification.xp_ledger")
            let inboxRows = try await app.count("SELECT count(*)::int FROM gamification.inbox")
            #expect(ledgerRows == 360 && inboxRows == 160)
            #expect(try await app.count("SELECT count(*)::int FROM gamification.inbox_failures") == 0)
            #expect(try await app.count("SELECT count(DISTINCT (period, period_start))::int FROM gamification.leaderboard_scores") > 20)
            #expect(try await app.aggregateMismatches(timeZone: zone) == 0)
            // The all-time board agrees with the ledger's totals for every ranked learner.
            let (_, board) = try await app.board("all_time")
            let listed = entries(board).count
            #expect(listed == board["ranked_learners"] as? Int)
            #expect(listed == (try await app.count("""
                SELECT count(DISTINCT l.user_id)::int FROM gamification.xp_ledger l
                LEFT JOIN gamification.learner_settings s ON s.user_id = l.user_id
                WHERE coalesce(s.leaderboard_visibility, 'visible') <> 'hidden'
                """)))
        }
    }
}
