import Foundation
import PostgresNIO

/// The leaderboard reads as prepared statements: planning them took longer than running them
/// (top 100: 0.84 ms of planning, 0.56 ms of execution), and these are the boards' hot path.
/// Every statement reads one board: `$1` period, `$2` period start (yyyy-MM-dd), `$3` scope.
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

    /// The learner `user`'s XP (NULL when not on the board), whether ranked, and visibility: one
    /// row, always. Where they stand among the others comes from the board's `ScoreHistogram`.
    static func standingSQL(user: String) -> String {
        """
        SELECT s.xp, s.ranked, coalesce(v.leaderboard_visibility, 'visible') AS visibility
        FROM (SELECT 1) AS one
        LEFT JOIN gamification.leaderboard_scores s ON s.user_id = \(user) AND s.period = $1
             AND s.period_start = $2::date AND s.course_id = $3
        LEFT JOIN gamification.learner_settings v ON v.user_id = \(user)
        """
    }

    /// A learner's XP (nil when not on the board), whether ranked, and visibility.
    struct Standing: PostgresPreparedStatement {
        static let sql = standingSQL(user: "$4")
        static let bindingDataTypes: [PostgresDataType] = [.text, .text, .uuid, .uuid]
        typealias Row = (xp: Int64?, ranked: Bool?, visibility: String)

        var key: LeaderboardKey
        var userID: UUID

        func makeBindings() throws -> PostgresBindings {
            var bindings = key.bindings
            bindings.append(userID)
            return bindings
        }

        func decodeRow(_ row: PostgresRow) throws -> Row {
            let (xp, ranked, visibility) = try row.decode((Int64?, Bool?, String).self)
            return (xp, ranked, visibility)
        }
    }

    /// How many ranked learners hold each score on the board: its `ScoreHistogram`.
    struct ScoreCounts: PostgresPreparedStatement {
        static let sql = """
            SELECT n.xp, n.learners::bigint FROM gamification.leaderboard_score_counts n
            WHERE n.period = $1 AND n.period_start = $2::date AND n.course_id = $3 AND n.learners > 0
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

    /// The learner's standing (part 2, as `Standing` reads it) and up to `size` learners on each
    /// side, in one round trip: two short ranges of the ordered index, both starting at the
    /// learner's key (part 0 ahead of them in board order, 1 behind). Board order is
    /// `(xp, user_id)` descending, one direction for both columns, so each side is a single row
    /// comparison the index starts from (with ties ordered by ascending id, a side took two ranges).
    /// A learner not on the board gets part 2 alone.
    struct Around: PostgresPreparedStatement {
        static let sql = """
            WITH me AS (\(standingSQL(user: "$4"))),
            w AS (
                (SELECT 0 AS part, s.user_id, s.xp
                 FROM gamification.leaderboard_scores s
                 WHERE s.period = $1 AND s.period_start = $2::date AND s.course_id = $3 AND s.ranked
                   AND (s.xp, s.user_id) > ((SELECT xp FROM me), $4)
                 ORDER BY s.xp, s.user_id LIMIT $5)
                UNION ALL
                (SELECT 1, s.user_id, s.xp
                 FROM gamification.leaderboard_scores s
                 WHERE s.period = $1 AND s.period_start = $2::date AND s.course_id = $3 AND s.ranked
                   AND (s.xp, s.user_id) < ((SELECT xp FROM me), $4)
                 ORDER BY s.xp DESC, s.user_id DESC LIMIT $5)
            )
            SELECT 2 AS part, NULL::uuid AS user_id, me.xp, false AS anonymous, me.ranked, me.visibility
            FROM me
            UNION ALL
            SELECT w.part, w.user_id, w.xp, coalesce(v.leaderboard_visibility = 'anonymous', false), NULL::boolean, NULL::text
            FROM w LEFT JOIN gamification.learner_settings v ON v.user_id = w.user_id
            """
        static let bindingDataTypes: [PostgresDataType] = [.text, .text, .uuid, .uuid, .int8]

        /// One part's row; `standing` only on part 2.
        struct Row: Sendable {
            var part: Int
            var userID: UUID?
            var xp: Int64?
            var anonymous: Bool
            var standing: Standing.Row?
        }

        var key: LeaderboardKey
        var userID: UUID
        var size: Int

        func makeBindings() throws -> PostgresBindings {
            var bindings = key.bindings
            bindings.append(userID)
            bindings.append(Int64(size))
            return bindings
        }

        func decodeRow(_ row: PostgresRow) throws -> Row {
            let (part, userID, xp, anonymous, ranked, visibility) = try row.decode(
                (Int, UUID?, Int64?, Bool, Bool?, String?).self)
            let standing = part == 2 ? Standing.Row(xp: xp, ranked: ranked, visibility: visibility ?? "visible") : nil
            return Row(part: part, userID: userID, xp: xp, anonymous: anonymous, standing: standing)
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
