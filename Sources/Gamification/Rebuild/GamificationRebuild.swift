import Foundation
import Logging
import PostgresNIO
import ServiceKit

/// Recomputes every aggregate gamification keeps beside its ledger and activity log, reports
/// where the stored one differs, and (unless it is a dry run) writes the recomputed one — the
/// seeds' "initial XP from existing progress", done from the ledger and the received events.
/// Runs in one transaction under the recompute lock, so nothing is half-rebuilt; rewriting the
/// leaderboards locks their tables, so awards committing meanwhile wait and then add on top.
/// (Streaks are not rebuilt yet: their days live in `streak_days`, settled as they pass.)
public struct GamificationRebuild: Sendable {
    let database: PostgresClient
    let platformTimeZone: String
    let logger: Logger

    /// `platformTimeZone`: the zone leaderboard periods begin in (the service's `LYCEUM_TIMEZONE`).
    public init(database: PostgresClient, platformTimeZone: String = "UTC", logger: Logger) {
        self.database = database
        self.platformTimeZone = platformTimeZone
        self.logger = logger
    }

    /// One aggregate's comparison.
    public struct Part: Sendable, Equatable {
        public var name: String
        public var differences: Int
        /// A few of the differing keys, to look into.
        public var samples: [String]
    }

    /// An aggregate as SQL: `expected` yields (key, value) rows recomputed from the sources,
    /// `stored` the same from the aggregate; `fix` writes the expected ones.
    struct Aggregate {
        var name: String
        var expected: String
        var stored: String
        var fix: String
    }

    var aggregates: [Aggregate] { Self.aggregates + leaderboards }

    /// Every XP entry counts in the periods of its activity (its event's `occurred_at`, or the
    /// entry's own time for manual awards and achievement rewards), on the global board and its
    /// course's; hidden learners' scores are kept but not counted.
    var leaderboards: [Aggregate] {
        let zone = "'" + platformTimeZone.replacingOccurrences(of: "'", with: "''") + "'"
        let scores = """
            SELECT l.user_id, p.period, p.period_start, b.course_id, sum(l.amount)::bigint AS xp,
                   coalesce(s.leaderboard_visibility, 'visible') <> 'hidden' AS ranked
            FROM gamification.xp_ledger l
            LEFT JOIN gamification.activity_log a ON a.event_id = l.source_event_id
            LEFT JOIN gamification.learner_settings s ON s.user_id = l.user_id
            CROSS JOIN LATERAL gamification.leaderboard_periods(coalesce(a.occurred_at, l.created_at), \(zone)) p
            CROSS JOIN LATERAL (VALUES ('00000000-0000-0000-0000-000000000000'::uuid), (a.course_id)) b(course_id)
            WHERE l.currency = 'xp' AND b.course_id IS NOT NULL
            GROUP BY l.user_id, p.period, p.period_start, b.course_id, s.leaderboard_visibility
            """
        let key = "user_id || '/' || period || '/' || period_start || '/' || course_id"
        let boardKey = "period || '/' || period_start || '/' || course_id || '/' || xp"
        return [
            Aggregate(
                name: "leaderboard scores",
                expected: "SELECT \(key), xp || '/' || ranked FROM (\(scores)) e",
                stored: "SELECT \(key), xp || '/' || ranked FROM gamification.leaderboard_scores",
                fix: """
                    LOCK TABLE gamification.leaderboard_scores, gamification.leaderboard_score_counts IN EXCLUSIVE MODE;
                    DELETE FROM gamification.leaderboard_scores;
                    INSERT INTO gamification.leaderboard_scores (user_id, period, period_start, course_id, xp, ranked)
                    SELECT user_id, period, period_start, course_id, xp, ranked FROM (\(scores)) e
                    """),
            Aggregate(
                name: "leaderboard rank counts",
                expected: """
                    SELECT \(boardKey), count(*)::text FROM gamification.leaderboard_scores WHERE ranked
                    GROUP BY period, period_start, course_id, xp
                    """,
                stored: "SELECT \(boardKey), learners::text FROM gamification.leaderboard_score_counts WHERE learners <> 0",
                fix: """
                    LOCK TABLE gamification.leaderboard_scores, gamification.leaderboard_score_counts IN EXCLUSIVE MODE;
                    DELETE FROM gamification.leaderboard_score_counts;
                    INSERT INTO gamification.leaderboard_score_counts (period, period_start, course_id, xp, learners)
                    SELECT period, period_start, course_id, xp, count(*) FROM gamification.leaderboard_scores WHERE ranked
                    GROUP BY period, period_start, course_id, xp
                    """),
        ]
    }

    static let aggregates = [
        Aggregate(
            name: "XP and reputation totals",
            expected: """
                SELECT user_id::text AS key, sum(amount) FILTER (WHERE currency = 'xp') || '/' || coalesce(sum(amount) FILTER (WHERE currency = 'reputation'), 0) AS value
                FROM gamification.xp_ledger GROUP BY user_id
                """,
            stored: "SELECT user_id::text, coalesce(total_xp, 0) || '/' || reputation FROM gamification.user_xp",
            fix: """
                INSERT INTO gamification.user_xp AS u (user_id, total_xp, reputation)
                SELECT user_id, coalesce(sum(amount) FILTER (WHERE currency = 'xp'), 0), coalesce(sum(amount) FILTER (WHERE currency = 'reputation'), 0)
                FROM gamification.xp_ledger GROUP BY user_id
                ON CONFLICT (user_id) DO UPDATE SET total_xp = excluded.total_xp, reputation = excluded.reputation, updated_at = now()
                WHERE (u.total_xp, u.reputation) IS DISTINCT FROM (excluded.total_xp, excluded.reputation)
                """),
        Aggregate(
            name: "levels",
            expected: """
                SELECT u.user_id::text, gamification.level_of(u.total_xp, c.kind, c.base)::text FROM gamification.user_xp u, gamification.level_curve c
                """,
            stored: "SELECT user_id::text, level::text FROM gamification.user_xp",
            fix: """
                UPDATE gamification.user_xp u SET level = gamification.level_of(u.total_xp, c.kind, c.base)
                FROM gamification.level_curve c WHERE u.level <> gamification.level_of(u.total_xp, c.kind, c.base)
                """),
        Aggregate(
            name: "learner counters",
            expected: "SELECT user_id::text, \(countersValue) FROM (\(countersSQL)) k",
            stored: "SELECT user_id::text, \(countersValue) FROM gamification.learner_counters",
            fix: """
                INSERT INTO gamification.learner_counters AS c (user_id, lessons_completed, courses_completed, quizzes_passed, perfect_quizzes,
                    assignments_graded, goals_completed, goals_completed_before_deadline, high_priority_goals_completed, last_activity_at)
                SELECT user_id, lessons_completed, courses_completed, quizzes_passed, perfect_quizzes, assignments_graded, goals_completed,
                       goals_completed_before_deadline, high_priority_goals_completed, last_activity_at FROM (\(countersSQL)) k
                ON CONFLICT (user_id) DO UPDATE SET lessons_completed = excluded.lessons_completed, courses_completed = excluded.courses_completed,
                    quizzes_passed = excluded.quizzes_passed, perfect_quizzes = excluded.perfect_quizzes,
                    assignments_graded = excluded.assignments_graded, goals_completed = excluded.goals_completed,
                    goals_completed_before_deadline = excluded.goals_completed_before_deadline,
                    high_priority_goals_completed = excluded.high_priority_goals_completed, last_activity_at = excluded.last_activity_at,
                    updated_at = now()
                """),
        Aggregate(
            name: "achievement holders",
            expected: """
                SELECT a.id::text, count(x.user_id)::text FROM gamification.achievements a
                LEFT JOIN gamification.achievement_unlocks x ON x.achievement_id = a.id AND x.revoked_at IS NULL GROUP BY a.id
                """,
            stored: "SELECT id::text, holders::text FROM gamification.achievements",
            fix: """
                UPDATE gamification.achievements a SET holders = (SELECT count(*) FROM gamification.achievement_unlocks x
                                                                  WHERE x.achievement_id = a.id AND x.revoked_at IS NULL)
                """),
    ]

    static let countersValue = """
        concat_ws('/', lessons_completed, courses_completed, quizzes_passed, perfect_quizzes, assignments_graded, goals_completed,
                  goals_completed_before_deadline, high_priority_goals_completed, extract(epoch FROM last_activity_at))
        """

    /// The counters recounted from the activity log and the goals. (A goal's "before the
    /// deadline" is judged against its due date now: a due date moved after completion moves it.)
    static let countersSQL = """
        SELECT coalesce(a.user_id, g.user_id) AS user_id,
               coalesce(a.lessons, 0) AS lessons_completed, coalesce(a.courses, 0) AS courses_completed, coalesce(a.quizzes, 0) AS quizzes_passed,
               coalesce(a.perfect, 0) AS perfect_quizzes, coalesce(a.assignments, 0) AS assignments_graded, coalesce(g.done, 0) AS goals_completed,
               coalesce(g.early, 0) AS goals_completed_before_deadline, coalesce(g.high, 0) AS high_priority_goals_completed,
               a.last_at AS last_activity_at
        FROM (SELECT user_id,
                     count(*) FILTER (WHERE type = 'learning.lesson_completed')::int AS lessons,
                     count(*) FILTER (WHERE type = 'learning.course_completed')::int AS courses,
                     count(*) FILTER (WHERE type = 'learning.quiz_passed')::int AS quizzes,
                     count(*) FILTER (WHERE type = 'learning.quiz_passed' AND facts -> 'score' = facts -> 'max_score')::int AS perfect,
                     count(*) FILTER (WHERE type = 'learning.assignment_graded')::int AS assignments,
                     max(occurred_at) AS last_at
              FROM gamification.activity_log GROUP BY user_id) a
        FULL JOIN (SELECT g.user_id, count(*)::int AS done,
                          count(*) FILTER (WHERE (g.first_completed_at AT TIME ZONE coalesce(s.timezone, 'UTC'))::date <= g.due_date)::int AS early,
                          count(*) FILTER (WHERE g.priority = 'high')::int AS high
                   FROM gamification.goals g LEFT JOIN gamification.learner_settings s ON s.user_id = g.user_id
                   WHERE g.first_completed_at IS NOT NULL GROUP BY g.user_id) g ON g.user_id = a.user_id
        """

    public func run(apply: Bool) async throws -> [Part] {
        try await database.transaction(logger: logger) { connection in
            try await connection.query("SELECT pg_advisory_xact_lock(hashtext('gamification.recompute'))", logger: logger)
            var parts: [Part] = []
            for aggregate in aggregates {
                let keys = try await connection.query(PostgresQuery(unsafeSQL: """
                    SELECT coalesce(e.key, s.key) FROM (\(aggregate.expected)) AS e(key, value) FULL JOIN (\(aggregate.stored)) AS s(key, value) ON s.key = e.key
                    WHERE e.value IS DISTINCT FROM s.value ORDER BY 1
                    """), logger: logger).decode(String.self).all()
                parts.append(Part(name: aggregate.name, differences: keys.count, samples: Array(keys.prefix(5))))
                if apply && !keys.isEmpty {
                    for statement in aggregate.fix.components(separatedBy: ";\n") {
                        try await connection.query(PostgresQuery(unsafeSQL: statement), logger: logger)
                    }
                }
            }
            return parts
        }
    }
}
