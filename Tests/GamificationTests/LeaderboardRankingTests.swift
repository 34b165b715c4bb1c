@testable import Gamification
import Foundation
import Logging
import Testing

/// Ranks, percentiles and windows of `GET /v1/leaderboards/...`.
@Suite struct LeaderboardRankingTests {
    @Test func equalScoresShareARankAndPercentileCountsThoseBelow() async throws {
        try await GamificationHarness.with { app in
            let day = instant("2026-03-04T10:00:00Z")
            let a = UUID(), b = UUID(), c = UUID(), d = UUID(), e = UUID()
            for (user, rewards) in [(a, [200, 100]), (b, [200]), (c, [150, 50]), (d, [100]), (e, [50])] {
                for reward in rewards { try await app.completeLesson(user, at: day, xpReward: reward) }
            }
            try await app.settled()

            // Public: no token needed.
            let (status, top) = try await app.board("daily?date=2026-03-04")
            #expect(status == .ok)
            #expect(ranks(top) == [1, 2, 2, 4, 5] && xps(top) == [300, 200, 200, 100, 50])
            #expect(ids(top).first == a && Set(ids(top)[1...2].compactMap { $0 }) == [b, c] && ids(top)[3] == d && ids(top)[4] == e)
            #expect(top["ranked_learners"] as? Int == 5 && top["period"] as? String == "daily")
            #expect(top["period_start"] as? String == "2026-03-04" && top["period_end"] as? String == "2026-03-04")
            #expect(top["timezone"] as? String == "UTC" && top["course_id"] == nil)
            #expect(entries(top).allSatisfy { $0["anonymous"] as? Bool == false })
            let (_, two) = try await app.board("daily?date=2026-03-04&limit=2")
            #expect(ranks(two) == [1, 2] && two["ranked_learners"] as? Int == 5)
            let (_, allTime) = try await app.board("all_time?limit=3")
            #expect(ranks(allTime) == [1, 2, 2] && allTime["period_start"] == nil && allTime["period_end"] == nil)
            // Another day has nobody.
            let (_, empty) = try await app.board("daily?date=2026-03-05")
            #expect(entries(empty).isEmpty && empty["ranked_learners"] as? Int == 0)

            // Rank = 1 + learners with more XP; percentile = 100 × learners with less ÷ ranked learners.
            let expected: [(UUID, Int, Double, Int, Int)] = [(a, 1, 80, 0, 4), (b, 2, 40, 1, 2), (c, 2, 40, 1, 2), (d, 4, 20, 3, 1), (e, 5, 0, 4, 0)]
            for (user, rank, percentile, above, below) in expected {
                let (status, standing) = try await app.board("daily/users/\(user)?date=2026-03-04", as: user)
                #expect(status == .ok)
                #expect(standing["rank"] as? Int == rank && standing["percentile"] as? Double == percentile, "\(standing)")
                #expect(standing["learners_above"] as? Int == above && standing["learners_below"] as? Int == below)
                #expect(standing["ranked_learners"] as? Int == 5 && standing["listed"] as? Bool == true)
                #expect(standing["visibility"] as? String == "visible" && standing["user_id"] as? String == user.uuidString)
            }
            // No XP in the period: no rank, still the board's size.
            let newcomer = UUID()
            let (_, none) = try await app.board("daily/users/\(newcomer)?date=2026-03-04", as: newcomer)
            #expect(none["rank"] == nil && none["percentile"] == nil && none["xp"] as? Int == 0 && none["ranked_learners"] as? Int == 5)
            #expect(none["listed"] as? Bool == false)
            let (_, noWindow) = try await app.board("daily/users/\(newcomer)/around?date=2026-03-04", as: newcomer)
            #expect(entries(noWindow).isEmpty)

            // Only the learner and staff see a learner's rank.
            #expect(try await app.board("daily/users/\(a)").0 == .unauthorized)
            #expect(try await app.board("daily/users/\(a)", as: b).0 == .forbidden)
            #expect(try await app.board("daily/users/\(a)/around", as: b).0 == .forbidden)
            #expect(try await app.board("daily/users/\(a)?date=2026-03-04", role: .curator).1["rank"] as? Int == 1)
            #expect(try await app.board("daily/users/\(a)/around?date=2026-03-04", role: .admin).0 == .ok)
        }
    }

    @Test func theWindowAroundALearnerStopsAtTheEdges() async throws {
        try await GamificationHarness.with { app in
            let day = instant("2026-03-04T10:00:00Z")
            let users = (0..<7).map { _ in UUID() }
            // XP 700, 600, ..., 100: ranks 1...7.
            for (index, user) in users.enumerated() { try await app.completeLesson(user, at: day, xpReward: 700 - 100 * index) }
            try await app.settled()
            let path = { (user: UUID, size: Int) in "weekly/users/\(user)/around?date=2026-03-04&size=\(size)" }

            let (status, top) = try await app.board(path(users[0], 2), as: users[0])
            #expect(status == .ok)
            #expect(ranks(top) == [1, 2, 3] && ids(top) == [users[0], users[1], users[2]])
            #expect(entries(top).first?["subject"] as? Bool == true && entries(top)[1]["subject"] == nil)
            let user = top["user"] as? [String: Any]
            #expect(user?["rank"] as? Int == 1 && user?["percentile"] as? Double == 85.71 && top["ranked_learners"] as? Int == 7)

            let (_, bottom) = try await app.board(path(users[6], 2), as: users[6])
            #expect(ranks(bottom) == [5, 6, 7] && ids(bottom) == [users[4], users[5], users[6]])
            #expect(entries(bottom).last?["subject"] as? Bool == true)

            let (_, middle) = try await app.board(path(users[3], 2), as: users[3])
            #expect(ranks(middle) == [2, 3, 4, 5, 6] && xps(middle) == [600, 500, 400, 300, 200])

            let (_, wide) = try await app.board(path(users[3], 50), as: users[3])
            #expect(ranks(wide) == Array(1...7))
            // The default size is 5.
            let (_, byDefault) = try await app.board("weekly/users/\(users[6])/around?date=2026-03-04", as: users[6])
            #expect(ranks(byDefault) == [2, 3, 4, 5, 6, 7])
        }
    }

    @Test func theWindowKeepsTiesInOrderAndRanksThemAlike() async throws {
        try await GamificationHarness.with { app in
            let day = instant("2026-03-04T10:00:00Z")
            let top = UUID(), last = UUID()
            let tied = (0..<5).map { _ in UUID() }
            try await app.completeLesson(top, at: day, xpReward: 500)
            for user in tied { try await app.completeLesson(user, at: day, xpReward: 100) }
            try await app.completeLesson(last, at: day, xpReward: 10)
            try await app.settled()

            let (_, board) = try await app.board("monthly?date=2026-03-31")
            #expect(ranks(board) == [1, 2, 2, 2, 2, 2, 7] && board["period_start"] as? String == "2026-03-01")
            #expect(board["period_end"] as? String == "2026-03-31")
            let order = ids(board).compactMap { $0 }
            // Around the middle of the tie: neighbours in board order, every tied one ranked 2.
            let subject = order[3]
            let (_, window) = try await app.board("monthly/users/\(subject)/around?date=2026-03-10&size=2", as: subject)
            #expect(ids(window).compactMap { $0 } == Array(order[1...5]))
            #expect(ranks(window) == [2, 2, 2, 2, 2])
            let (_, wide) = try await app.board("monthly/users/\(subject)/around?date=2026-03-10&size=3", as: subject)
            #expect(ids(wide).compactMap { $0 } == order && ranks(wide) == [1, 2, 2, 2, 2, 2, 7])
            let (_, standing) = try await app.board("monthly/users/\(subject)?date=2026-03-10", as: subject)
            // 1 of 7 has less: 14.29%.
            #expect(standing["rank"] as? Int == 2 && standing["percentile"] as? Double == 14.29)
        }
    }

    /// Standings and windows are read together when requests arrive together (`RequestCoalescer`):
    /// every answer of one statement equals the answer read alone — boards, periods, sides, ties,
    /// a course board, a learner with no score.
    @Test func standingsAndWindowsReadTogetherEqualThoseReadAlone() async throws {
        try await GamificationHarness.with { app in
            let day = instant("2026-03-04T10:00:00Z"), course = UUID()
            let users = (0..<9).map { _ in UUID() }
            for (index, user) in users.enumerated() {
                try await app.completeLesson(user, at: day, course: index % 2 == 0 ? course : UUID(), xpReward: 100 * (1 + index / 3))
            }
            try await app.settled()
            let march4 = try #require(LocalDate(parsing: "2026-03-04"))
            var requests: [LeaderboardStatements.Around.Request] = []
            for period in [LeaderboardPeriod.daily, .weekly, .allTime] {
                for (index, user) in (users + [UUID()]).enumerated() {
                    let key = LeaderboardKey(period: period, day: march4, courseID: index % 3 == 0 ? course : nil)
                    requests.append(.init(key: key, userID: user, size: 1 + index % 3))
                }
            }
            let logger = Logger(label: "test")
            func summary(_ rows: [LeaderboardStatements.Around.Row]) -> [String] {
                rows.map { "\($0.part) \($0.userID?.uuidString ?? "-") \($0.xp.map(String.init) ?? "-") \($0.standing.map { "\($0.ranked ?? false) \($0.visibility)" } ?? "")" }.sorted()
            }
            let together = try await LeaderboardStatements.Around.read(requests, on: app.database, logger: logger)
            #expect(together.count == requests.count)
            var sides = 0
            for (request, rows) in zip(requests, together) {
                let alone = try await LeaderboardStatements.Around.read([request], on: app.database, logger: logger)
                #expect(alone.count == 1 && summary(rows) == summary(alone[0]))
                #expect(rows.filter { $0.part == 2 }.count == 1 && rows.filter { $0.part < 2 }.count <= 2 * request.size)
                sides += rows.filter { $0.part < 2 }.count
            }
            #expect(sides > requests.count)

            let standings = requests.map { LeaderboardStatements.Standing.Request(key: $0.key, userID: $0.userID) }
            let rows = try await app.database.execute(LeaderboardStatements.Standing(requests: standings), logger: logger).all()
            #expect(rows.count == standings.count && rows.contains { $0.xp == nil } && rows.contains { $0.xp != nil })
            for (request, row) in zip(standings, rows) {
                let alone = try await app.database.execute(LeaderboardStatements.Standing(requests: [request]), logger: logger).all()
                #expect(alone.count == 1 && alone[0].xp == row.xp && alone[0].ranked == row.ranked && alone[0].visibility == row.visibility)
                let window = try #require(together[standings.firstIndex { $0.key == request.key && $0.userID == request.userID }!].first { $0.part == 2 })
                #expect(window.xp == row.xp)
            }
        }
    }
}
