import Foundation
import Hummingbird
import ServiceKit
import Testing

/// Reading leaderboard responses in tests.
extension GamificationHarness {
    /// `GET` a leaderboard path as `caller` (no token when nil); status and body.
    func board(_ path: String, as caller: UUID? = nil, role: Role? = nil) async throws -> (HTTPResponse.Status, [String: Any]) {
        var headers: HTTPFields = [:]
        if let role { headers = try await self.headers(role, user: caller ?? UUID()) } else if let caller { headers = try await self.headers(.student, user: caller) }
        return try await call(.get, "/v1/leaderboards/\(path)", headers)
    }

    /// Every aggregate row equals what a scan of the ledger (and the activity each award came
    /// from) gives, and every score count equals a count of the ranked scores. Returns the
    /// mismatching rows (0 when consistent).
    func aggregateMismatches(timeZone: String) async throws -> Int {
        let scan = """
            WITH awards AS (
                SELECT l.user_id, l.amount::bigint AS amount, a.course_id, a.occurred_at AT TIME ZONE '\(timeZone)' AS local
                FROM gamification.xp_ledger l JOIN gamification.activity_log a ON a.event_id = l.source_event_id
                WHERE l.currency = 'xp'
            ), expanded AS (
                SELECT aw.user_id, p.period, p.period_start, sc.course_id, aw.amount
                FROM awards aw
                CROSS JOIN LATERAL (VALUES ('daily', aw.local::date), ('weekly', (aw.local::date - (extract(isodow FROM aw.local)::int - 1))),
                                           ('monthly', make_date(extract(year FROM aw.local)::int, extract(month FROM aw.local)::int, 1)),
                                           ('all_time', date '1970-01-01')) AS p (period, period_start)
                CROSS JOIN LATERAL (VALUES ('00000000-0000-0000-0000-000000000000'::uuid), (aw.course_id)) AS sc (course_id)
                WHERE sc.course_id IS NOT NULL
            )
            SELECT user_id, period, period_start, course_id, sum(amount)::bigint AS xp FROM expanded GROUP BY 1, 2, 3, 4
            """
        let scores = "SELECT user_id, period, period_start, course_id, xp FROM gamification.leaderboard_scores"
        let ranked = """
            SELECT s.user_id, s.ranked FROM gamification.leaderboard_scores s
            LEFT JOIN gamification.learner_settings v ON v.user_id = s.user_id
            WHERE s.ranked <> (coalesce(v.leaderboard_visibility, 'visible') <> 'hidden')
            """
        let countsFromScores = """
            SELECT period, period_start, course_id, xp, count(*)::int AS learners FROM gamification.leaderboard_scores
            WHERE ranked GROUP BY 1, 2, 3, 4
            """
        let counts = """
            SELECT period, period_start, course_id, xp, sum(learners)::int AS learners FROM (
                SELECT period, period_start, course_id, xp, learners FROM gamification.leaderboard_score_counts
                UNION ALL SELECT period, period_start, course_id, xp, learners FROM gamification.leaderboard_count_moves) c
            GROUP BY 1, 2, 3, 4 HAVING sum(learners) <> 0
            """
        return try await count("SELECT count(*)::int FROM ((\(scan)) EXCEPT (\(scores))) AS d")
            + count("SELECT count(*)::int FROM ((\(scores)) EXCEPT (\(scan))) AS d")
            + count("SELECT count(*)::int FROM (\(ranked)) AS d")
            + count("SELECT count(*)::int FROM ((\(countsFromScores)) EXCEPT (\(counts))) AS d")
            + count("SELECT count(*)::int FROM ((\(counts)) EXCEPT (\(countsFromScores))) AS d")
    }

    func setVisibility(_ user: UUID, _ visibility: String) async throws {
        let (status, _) = try await call(.put, "/v1/users/\(user)/settings", try await headers(.student, user: user),
                                         json: #"{"leaderboard_visibility": "\#(visibility)"}"#)
        #expect(status == .ok)
    }
}

func entries(_ body: [String: Any]) -> [[String: Any]] {
    body["entries"] as? [[String: Any]] ?? []
}

func ranks(_ body: [String: Any]) -> [Int] {
    entries(body).compactMap { $0["rank"] as? Int }
}

func xps(_ body: [String: Any]) -> [Int] {
    entries(body).compactMap { $0["xp"] as? Int }
}

func ids(_ body: [String: Any]) -> [UUID?] {
    entries(body).map { ($0["user_id"] as? String).flatMap(UUID.init(uuidString:)) }
}

// `instant(_:)` (an ISO 8601 text as a Date) is in StreakTestSupport.swift.
