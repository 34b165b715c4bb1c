import Foundation
import PostgresNIO
import Testing
@testable import Gamification

/// Level curves: the presets, switching between them, and `level_reached` once per level.
@Suite struct LevelTests {
    @Test func theSeedsCurves() {
        #expect([0, 99, 100, 250, 1000].map(LevelCurve.linear.level(forTotal:)) == [1, 1, 2, 3, 11])
        #expect([0, 999, 1000, 1999, 2000, 3999, 4000, 8000, 1_024_000].map(LevelCurve.doubling.level(forTotal:)) == [1, 1, 2, 2, 3, 3, 4, 5, 12])
        #expect(LevelCurve.doubling.threshold(of: 5) == 8000 && LevelCurve.linear.threshold(of: 3) == 200)
        let standing = LevelCurve.doubling.standing(forTotal: 2500)
        #expect(standing.level == 3 && standing.intoLevel == 500 && standing.toNext == 1500)
    }

    @Test func sqlAndSwiftAgreeOnEveryCurve() async throws {
        try await GamificationHarness.with { app in
            let totals: [Int64] = [-5, 0, 1, 99, 100, 101, 999, 1000, 1001, 1999, 2000, 4095, 4096, 8191, 8192, 65_535, 1_000_000, 123_456_789, 4_000_000_000]
            for curve in [LevelCurve.linear, .doubling, LevelCurve(kind: .doubling, base: 3), LevelCurve(kind: .linear, base: 7)] {
                let levels = try await app.database.query("""
                    SELECT gamification.level_of(t, \(curve.kind.rawValue), \(curve.base)) FROM unnest(\(totals)::bigint[]) WITH ORDINALITY AS x(t, n) ORDER BY n
                    """).decode(Int.self).all()
                #expect(levels == totals.map(curve.level(forTotal:)), "\(curve)")
            }
        }
    }

    @Test func switchingCurvesRelevelsEveryoneAndAnnouncesEachLevelOnce() async throws {
        try await GamificationHarness.with { app in
            let admin = try await app.headers(.admin), learner = UUID()
            for _ in 0..<5 { try await app.completeLesson(learner, xpReward: 450) }  // 2250 XP
            try await app.settled()
            let (_, linear) = try await app.call(.get, "/v1/users/\(learner)/xp", admin)
            #expect(linear["level"] as? Int == 23)
            #expect(try await app.count("SELECT count(*)::int FROM gamification.outbox WHERE type = 'gamification.level_reached'") == 22)

            let (status, doubling) = try await app.call(.put, "/v1/levels", admin, json: #"{"kind": "doubling"}"#)
            #expect(status == .ok && doubling["base"] as? Int == 1000 && doubling["learners_relevelled"] as? Int == 1, "\(doubling)")
            let (_, xp) = try await app.call(.get, "/v1/users/\(learner)/xp", admin)
            #expect(xp["level"] as? Int == 3 && xp["xp_into_level"] as? Int == 250 && xp["xp_to_next_level"] as? Int == 1750, "\(xp)")
            // Levels 2 and 3 were reached before: nothing new to announce, now or when switching back.
            #expect(try await app.call(.put, "/v1/levels", admin, json: #"{"kind": "linear"}"#).0 == .ok)
            #expect(try await app.count("SELECT count(*)::int FROM gamification.outbox WHERE type = 'gamification.level_reached'") == 22)
            #expect(try await app.count("SELECT count(*)::int FROM gamification.user_xp WHERE level = 23") == 1)
            let (_, shown) = try await app.call(.get, "/v1/levels")
            #expect(shown["kind"] as? String == "linear" && (shown["thresholds"] as? [[String: Any]])?[1]["xp"] as? Int == 100)

            for (body, field) in [(#"{"kind": "cubic"}"#, "kind"), (#"{"kind": "linear", "base": 0}"#, "base"), (#"{}"#, "kind")] {
                let (bad, problem) = try await app.call(.put, "/v1/levels", admin, json: body)
                let fields = (problem["errors"] as? [[String: Any]])?.compactMap { $0["field"] as? String } ?? []
                #expect(bad == .badRequest && fields.contains(field), "\(body): \(problem)")
            }
            #expect(try await app.call(.put, "/v1/levels", try await app.headers(.curator), json: #"{"kind": "linear"}"#).0 == .forbidden)
        }
    }
}
