import Foundation
import Logging
import PostgresNIO

/// The leaderboard reads as prepared statements: planning them took longer than running them
/// (top 100: 0.84 ms of planning, 0.56 ms of execution), and these are the boards' hot path.
/// `Top` and `ScoreCounts` read one board: `$1` period, `$2` period start (yyyy-MM-dd), `$3` scope;
/// `Standing` and `Around` take the same three as arrays, a board and a learner per request.
enum LeaderboardStatements {
    /// The best `limit` learners, best first (ties by descending user id: board order).
    struct Top: PostgresPreparedStatement {
        static let sql = """
            SELECT s.user_id, s.xp, coalesce(v.leaderboard_visibility = 'anonymous', false)
            FROM gamification.leaderboard_scores s
            LEFT JOIN gamification.learner_settings v ON v.user_id = s.user_id
            WHERE s.period = $1 AND s.period_start = $2::date AND s.course_id = $3 AND s.ranked
            ORDER BY s.xp DESC, s.user_id DESC
            LIMIT $4
            """
        static let bindingDataTypes: [PostgresDataType] = [.text, .text, .uuid, .int4]
        typealias Row = (userID: UUID, xp: Int64, anonymous: Bool)

        var key: LeaderboardKey
        var limit: Int

        func makeBindings() throws -> PostgresBindings {
            var bindings = key.bindings
            bindings.append(Int32(limit))
            return bindings
        }

        func decodeRow(_ row: PostgresRow) throws -> Row {
            let (userID, xp, anonymous) = try row.decode((UUID, Int64, Bool).self)
            return (userID, xp, anonymous)
        }
    }

    /// Learners' standings, several in one round trip (gathered like the windows): for each
    /// request, in the order given, the learner's XP (nil when not on the board), whether ranked,
    /// and visibility — one row each, always. Where they stand among the others comes from the
    /// board's `ScoreHistogram`.
    struct Standing: PostgresPreparedStatement {
        static let sql = """
            SELECT s.xp, s.ranked, coalesce(v.leaderboard_visibility, 'visible') AS visibility
            FROM unnest($1::text[], $2::text[], $3::uuid[], $4::uuid[]) WITH ORDINALITY AS r (period, period_start, course_id, user_id, n)
            LEFT JOIN gamification.leaderboard_scores s ON s.user_id = r.user_id AND s.period = r.period
                 AND s.period_start = r.period_start::date AND s.course_id = r.course_id
            LEFT JOIN gamification.learner_settings v ON v.user_id = r.user_id
            ORDER BY r.n
            """
        static let bindingDataTypes: [PostgresDataType] = [.textArray, .textArray, .uuidArray, .uuidArray]
        typealias Row = (xp: Int64?, ranked: Bool?, visibility: String)

        /// One learner on one board.
        struct Request: Sendable {
            var key: LeaderboardKey
            var userID: UUID
        }

        var requests: [Request]

        func makeBindings() throws -> PostgresBindings {
            var bindings = requests.map(\.key).arrayBindings
            bindings.append(requests.map(\.userID))
            return bindings
        }

        func decodeRow(_ row: PostgresRow) throws -> Row {
            let (xp, ranked, visibility) = try row.decode((Int64?, Bool?, String).self)
            return (xp, ranked, visibility)
        }
    }

    /// How many ranked learners hold each score on the board, the folded counts and the moves
    /// not folded yet (a score may come more than once): its `ScoreHistogram`.
    struct ScoreCounts: PostgresPreparedStatement {
        static let sql = """
            SELECT n.xp, n.learners::bigint FROM gamification.leaderboard_score_counts n
            WHERE n.period = $1 AND n.period_start = $2::date AND n.course_id = $3 AND n.learners <> 0
            UNION ALL
            SELECT m.xp, m.learners::bigint FROM gamification.leaderboard_count_moves m
            WHERE m.period = $1 AND m.period_start = $2::date AND m.course_id = $3
            """
        static let bindingDataTypes: [PostgresDataType] = [.text, .text, .uuid]
        typealias Row = (xp: Int64, learners: Int64)

        var key: LeaderboardKey

        func makeBindings() throws -> PostgresBindings { key.bindings }

        func decodeRow(_ row: PostgresRow) throws -> Row {
            let (xp, learners) = try row.decode((Int64, Int64).self)
            return (xp, learners)
        }
    }

    /// Windows around learners, several in one round trip (`Leaderboards` gathers concurrent
    /// requests with a `RequestCoalescer`): for request `n` (1-based, in the order given) the
    /// learner's standing (part 2, as `Standing` reads it) and up to `size` learners on each side,
    /// two short ranges of the ordered index that both start at the learner's key (part 0 ahead
    /// of them in board order, 1 behind). Board order is `(xp, user_id)` descending, one direction
    /// for both columns, so each side is a single row comparison the index starts from (with ties
    /// ordered by ascending id, a side took two ranges). A learner not on the board gets part 2 alone.
    struct Around: PostgresPreparedStatement {
        static let sql = """
            SELECT r.n, x.part, x.user_id, x.xp, x.anonymous, x.ranked, x.visibility
            FROM unnest($1::text[], $2::text[], $3::uuid[], $4::uuid[], $5::int8[])
                 WITH ORDINALITY AS r (period, period_start, course_id, user_id, size, n)
            LEFT JOIN gamification.leaderboard_scores me ON me.user_id = r.user_id AND me.period = r.period
                 AND me.period_start = r.period_start::date AND me.course_id = r.course_id
            LEFT JOIN gamification.learner_settings mv ON mv.user_id = r.user_id
            CROSS JOIN LATERAL (
                SELECT 2 AS part, NULL::uuid AS user_id, me.xp, false AS anonymous, me.ranked,
                       coalesce(mv.leaderboard_visibility, 'visible') AS visibility
                UNION ALL
                SELECT w.part, w.user_id, w.xp, coalesce(v.leaderboard_visibility = 'anonymous', false), NULL::boolean, NULL::text
                FROM ((SELECT 0 AS part, s.user_id, s.xp
                       FROM gamification.leaderboard_scores s
                       WHERE s.period = r.period AND s.period_start = r.period_start::date AND s.course_id = r.course_id
                         AND s.ranked AND (s.xp, s.user_id) > (me.xp, r.user_id)
                       ORDER BY s.xp, s.user_id LIMIT r.size)
                      UNION ALL
                      (SELECT 1, s.user_id, s.xp
                       FROM gamification.leaderboard_scores s
                       WHERE s.period = r.period AND s.period_start = r.period_start::date AND s.course_id = r.course_id
                         AND s.ranked AND (s.xp, s.user_id) < (me.xp, r.user_id)
                       ORDER BY s.xp DESC, s.user_id DESC LIMIT r.size)) AS w
                LEFT JOIN gamification.learner_settings v ON v.user_id = w.user_id
            ) AS x
            """
        static let bindingDataTypes: [PostgresDataType] = [.textArray, .textArray, .uuidArray, .uuidArray, .int8Array]

        /// One window: the board, the learner, learners on each side.
        struct Request: Sendable {
            var key: LeaderboardKey
            var userID: UUID
            var size: Int
        }

        /// One part's row of request `request` (0-based); `standing` only on part 2.
        struct Row: Sendable {
            var request: Int
            var part: Int
            var userID: UUID?
            var xp: Int64?
            var anonymous: Bool
            var standing: Standing.Row?
        }

        var requests: [Request]

        func makeBindings() throws -> PostgresBindings {
            var bindings = requests.map(\.key).arrayBindings
            bindings.append(requests.map(\.userID))
            bindings.append(requests.map { Int64($0.size) })
            return bindings
        }

        func decodeRow(_ row: PostgresRow) throws -> Row {
            let (n, part, userID, xp, anonymous, ranked, visibility) = try row.decode(
                (Int64, Int, UUID?, Int64?, Bool, Bool?, String?).self)
            let standing: Standing.Row? = part == 2 ? (xp, ranked, visibility ?? "visible") : nil
            return Row(request: Int(n) - 1, part: part, userID: userID, xp: xp, anonymous: anonymous, standing: standing)
        }

        /// The rows of each request, in the order of `requests`.
        static func read(_ requests: [Request], on database: PostgresClient, logger: Logger) async throws -> [[Row]] {
            var windows = [[Row]](repeating: [], count: requests.count)
            for row in try await database.execute(Around(requests: requests), logger: logger).all()
            where windows.indices.contains(row.request) {
                windows[row.request].append(row)
            }
            return windows
        }
    }
}

extension LeaderboardKey {
    /// `$1` period, `$2` period start, `$3` scope: the board every statement above reads.
    var bindings: PostgresBindings {
        var bindings = PostgresBindings()
        bindings.append(period.rawValue)
        bindings.append(start.description)
        bindings.append(scope)
        return bindings
    }
}

extension [LeaderboardKey] {
    /// `$1` periods, `$2` period starts, `$3` scopes: one board per request of a gathered read.
    var arrayBindings: PostgresBindings {
        var bindings = PostgresBindings()
        bindings.append(map(\.period.rawValue))
        bindings.append(map(\.start.description))
        bindings.append(map(\.scope))
        return bindings
    }
}
