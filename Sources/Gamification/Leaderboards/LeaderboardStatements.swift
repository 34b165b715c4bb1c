import Foundation
import PostgresNIO

/// The leaderboard reads as prepared statements: planning them took longer than running them
/// (top 100: 0.84 ms of planning, 0.56 ms of execution), and these are the boards' hot path.
/// Every statement reads one board: `$1` period, `$2` period start (yyyy-MM-dd), `$3` scope.
enum LeaderboardStatements {
    /// The best `limit` learners, best first (ties by user id), with the number ranked on each row.
    struct Top: PostgresPreparedStatement {
        static let sql = """
            SELECT s.user_id, s.xp, coalesce(v.leaderboard_visibility = 'anonymous', false),
                   (SELECT coalesce(sum(n.learners), 0)::bigint FROM gamification.leaderboard_score_counts n
                    WHERE n.period = $1 AND n.period_start = $2::date AND n.course_id = $3)
            FROM gamification.leaderboard_scores s
            LEFT JOIN gamification.learner_settings v ON v.user_id = s.user_id
            WHERE s.period = $1 AND s.period_start = $2::date AND s.course_id = $3 AND s.ranked
            ORDER BY s.xp DESC, s.user_id
            LIMIT $4
            """
        static let bindingDataTypes: [PostgresDataType] = [.text, .text, .uuid, .int4]
        typealias Row = (userID: UUID, xp: Int64, anonymous: Bool, ranked: Int64)

        var key: LeaderboardKey
        var limit: Int

        func makeBindings() throws -> PostgresBindings {
            var bindings = key.bindings
            bindings.append(Int32(limit))
            return bindings
        }

        func decodeRow(_ row: PostgresRow) throws -> Row {
            let (userID, xp, anonymous, ranked) = try row.decode((UUID, Int64, Bool, Int64).self)
            return (userID, xp, anonymous, ranked)
        }
    }

    /// The learner `user`'s XP (NULL when not on the board), whether ranked, visibility, and the
    /// learners above, below and on the whole board: one row, always.
    static func standingSQL(user: String) -> String {
        """
        SELECT s.xp, s.ranked, coalesce(v.leaderboard_visibility, 'visible') AS visibility,
               coalesce(c.above, 0) AS above, coalesce(c.below, 0) AS below, coalesce(c.total, 0) AS total
        FROM (SELECT 1) AS one
        LEFT JOIN gamification.leaderboard_scores s ON s.user_id = \(user) AND s.period = $1
             AND s.period_start = $2::date AND s.course_id = $3
        LEFT JOIN gamification.learner_settings v ON v.user_id = \(user)
        CROSS JOIN LATERAL (
            SELECT (sum(n.learners) FILTER (WHERE n.xp > s.xp))::bigint AS above,
                   (sum(n.learners) FILTER (WHERE n.xp < s.xp))::bigint AS below,
                   sum(n.learners)::bigint AS total
            FROM gamification.leaderboard_score_counts n
            WHERE n.period = $1 AND n.period_start = $2::date AND n.course_id = $3) AS c
        """
    }

    /// A learner's XP (nil when not on the board), whether ranked, visibility, and the learners
    /// above, below and on the whole board.
    struct Standing: PostgresPreparedStatement {
        static let sql = standingSQL(user: "$4")
        static let bindingDataTypes: [PostgresDataType] = [.text, .text, .uuid, .uuid]
        typealias Row = (xp: Int64?, ranked: Bool?, visibility: String, above: Int64, below: Int64, total: Int64)

        var key: LeaderboardKey
        var userID: UUID

        func makeBindings() throws -> PostgresBindings {
            var bindings = key.bindings
            bindings.append(userID)
            return bindings
        }

        func decodeRow(_ row: PostgresRow) throws -> Row {
            let (xp, ranked, visibility, above, below, total) = try row.decode((Int64?, Bool?, String, Int64, Int64, Int64).self)
            return (xp, ranked, visibility, above, below, total)
        }
    }

    /// The learner's standing (part 5, as `Standing` reads it) and up to `size` learners on each
    /// side, in one round trip: four short ranges of the ordered index, each nearest-first (part 0
    /// higher scores, 1 the same score before the learner by id, 2 the same score after, 3 lower
    /// scores), then as part 4 the score counts between the lowest and highest score shown, from
    /// which every shown rank follows. A learner not on the board gets part 5 alone.
    struct Around: PostgresPreparedStatement {
        static let sql = """
            WITH me AS (\(standingSQL(user: "$4"))),
            w AS (
                (SELECT 0 AS part, row_number() OVER (ORDER BY s.xp, s.user_id DESC) AS near, s.user_id, s.xp
                 FROM gamification.leaderboard_scores s
                 WHERE s.period = $1 AND s.period_start = $2::date AND s.course_id = $3 AND s.ranked AND s.xp > (SELECT xp FROM me)
                 ORDER BY s.xp, s.user_id DESC LIMIT $5)
                UNION ALL
                (SELECT 1, row_number() OVER (ORDER BY s.user_id DESC), s.user_id, s.xp
                 FROM gamification.leaderboard_scores s
                 WHERE s.period = $1 AND s.period_start = $2::date AND s.course_id = $3 AND s.ranked AND s.xp = (SELECT xp FROM me)
                   AND s.user_id < $4
                 ORDER BY s.user_id DESC LIMIT $5)
                UNION ALL
                (SELECT 2, row_number() OVER (ORDER BY s.user_id), s.user_id, s.xp
                 FROM gamification.leaderboard_scores s
                 WHERE s.period = $1 AND s.period_start = $2::date AND s.course_id = $3 AND s.ranked AND s.xp = (SELECT xp FROM me)
                   AND s.user_id > $4
                 ORDER BY s.user_id LIMIT $5)
                UNION ALL
                (SELECT 3, row_number() OVER (ORDER BY s.xp DESC, s.user_id), s.user_id, s.xp
                 FROM gamification.leaderboard_scores s
                 WHERE s.period = $1 AND s.period_start = $2::date AND s.course_id = $3 AND s.ranked AND s.xp < (SELECT xp FROM me)
                 ORDER BY s.xp DESC, s.user_id LIMIT $5)
            ), r AS (
                SELECT least(min(w.xp), (SELECT xp FROM me)) AS lo, greatest(max(w.xp), (SELECT xp FROM me)) AS hi FROM w
            )
            SELECT 5 AS part, 0::bigint AS near, NULL::uuid AS user_id, me.xp, false AS anonymous, 0::bigint AS learners,
                   me.ranked, me.visibility, me.above, me.below, me.total
            FROM me
            UNION ALL
            SELECT w.part, w.near, w.user_id, w.xp, coalesce(v.leaderboard_visibility = 'anonymous', false), 0::bigint,
                   NULL::boolean, NULL::text, NULL::bigint, NULL::bigint, NULL::bigint
            FROM w LEFT JOIN gamification.learner_settings v ON v.user_id = w.user_id
            UNION ALL
            SELECT 4, 0, NULL::uuid, n.xp, false, n.learners::bigint, NULL, NULL, NULL, NULL, NULL
            FROM gamification.leaderboard_score_counts n, r
            WHERE n.period = $1 AND n.period_start = $2::date AND n.course_id = $3
              AND n.xp BETWEEN r.lo AND r.hi AND n.learners <> 0
            """
        static let bindingDataTypes: [PostgresDataType] = [.text, .text, .uuid, .uuid, .int8]

        /// One part's row; `standing` only on part 5.
        struct Row: Sendable {
            var part: Int
            var near: Int64
            var userID: UUID?
            var xp: Int64?
            var anonymous: Bool
            var learners: Int64
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
            let (part, near, userID, xp, anonymous, learners, ranked, visibility, above, below, total) = try row.decode(
                (Int, Int64, UUID?, Int64?, Bool, Int64, Bool?, String?, Int64?, Int64?, Int64?).self)
            let standing = part == 5 ? Standing.Row(xp: xp, ranked: ranked, visibility: visibility ?? "visible", above: above ?? 0,
                                                    below: below ?? 0, total: total ?? 0) : nil
            return Row(part: part, near: near, userID: userID, xp: xp, anonymous: anonymous, learners: learners, standing: standing)
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
