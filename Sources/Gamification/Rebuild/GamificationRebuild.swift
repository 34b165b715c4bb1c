import Foundation
import Logging
import PostgresNIO
import ServiceKit

/// Recomputes every aggregate gamification keeps beside its ledger and activity log, reports
/// where the stored one differs, and (unless it is a dry run) writes the recomputed one — the
/// seeds' "initial XP from existing progress", done from the ledger and the received events.
/// Runs in one transaction under the recompute lock, so nothing is half-rebuilt; rewriting the
/// leaderboards locks their tables, so awards committing meanwhile wait and then add on top.
/// Streaks: each received event's local day must be an active day in `streak_days`, and every
/// learner's streak figures must be those of their recorded days; a streak's liveness and freeze
/// inventory are history (when the settling ran, what was granted) and are kept as they are.
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

    var aggregates: [Aggregate] { Self.aggregates + Self.streaks + leaderboards }

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
                    LOCK TABLE gamification.leaderboard_scores, gamification.leaderboard_count_moves, gamification.leaderboard_score_counts IN EXCLUSIVE MODE;
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
                stored: """
                    SELECT \(boardKey), sum(learners)::text FROM (
                        SELECT period, period_start, course_id, xp, learners FROM gamification.leaderboard_score_counts
                        UNION ALL SELECT period, period_start, course_id, xp, learners FROM gamification.leaderboard_count_moves) c
                    GROUP BY period, period_start, course_id, xp HAVING sum(learners) <> 0
                    """,
                fix: """
                    LOCK TABLE gamification.leaderboard_scores, gamification.leaderboard_count_moves, gamification.leaderboard_score_counts IN EXCLUSIVE MODE;
                    DELETE FROM gamification.leaderboard_count_moves;
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
            stored: "SELECT a.id::text, \(AchievementStore.holders)::text FROM gamification.achievements a",
            fix: """
                LOCK TABLE gamification.achievement_holder_moves IN EXCLUSIVE MODE;
                DELETE FROM gamification.achievement_holder_moves;
                UPDATE gamification.achievements a SET holders = (SELECT count(*) FROM gamification.achievement_unlocks x
                                                                  WHERE x.achievement_id = a.id AND x.revoked_at IS NULL)
                """),
    ]

    /// Learners whose events arrived before `activity_log.local_day` existed: their days are not checked.
    static let legacyLearners = "SELECT user_id FROM gamification.activity_log WHERE local_day IS NULL"

    /// Runs of consecutive recorded days per learner: the last day and the active days of each.
    static let streakRuns = """
        SELECT user_id, max(day) AS last_day, count(*) FILTER (WHERE kind = 'active')::int AS active
        FROM (SELECT user_id, day, kind, day - (row_number() OVER (PARTITION BY user_id ORDER BY day))::int AS run
              FROM gamification.streak_days) d
        GROUP BY user_id, run
        """

    /// A learner's streak figures from their recorded days: the live run (as far as the stored
    /// row says it is live), the longest run, the last active day and the frozen days.
    static let expectedStreaks = """
        WITH runs AS (\(streakRuns))
        SELECT k.user_id, CASE WHEN coalesce(s.current_streak, 0) > 0 THEN coalesce(live.active, 0) ELSE 0 END AS current_streak,
               l.longest, k.last_active, k.frozen
        FROM (SELECT user_id, max(day) FILTER (WHERE kind = 'active') AS last_active, count(*) FILTER (WHERE kind = 'frozen')::int AS frozen
              FROM gamification.streak_days GROUP BY user_id) k
        JOIN (SELECT user_id, max(active) AS longest FROM runs GROUP BY user_id) l ON l.user_id = k.user_id
        LEFT JOIN gamification.user_streaks s ON s.user_id = k.user_id
        LEFT JOIN runs live ON live.user_id = k.user_id AND live.last_day = s.covered_through
        """

    static let streaks = [
        Aggregate(
            name: "streak days",
            expected: """
                SELECT DISTINCT user_id || '/' || local_day, 'active' FROM gamification.activity_log
                WHERE local_day IS NOT NULL AND user_id NOT IN (\(legacyLearners))
                """,
            stored: """
                SELECT d.user_id || '/' || d.day, d.kind FROM gamification.streak_days d
                WHERE d.user_id NOT IN (\(legacyLearners))
                  AND (d.kind = 'active' OR EXISTS (SELECT 1 FROM gamification.activity_log a WHERE a.user_id = d.user_id AND a.local_day = d.day))
                """,
            fix: """
                INSERT INTO gamification.streak_days AS d (user_id, day, kind)
                SELECT DISTINCT user_id, local_day, 'active' FROM gamification.activity_log WHERE local_day IS NOT NULL
                ON CONFLICT (user_id, day) DO UPDATE SET kind = 'active' WHERE d.kind <> 'active';
                DELETE FROM gamification.streak_days d
                WHERE d.kind = 'active' AND d.user_id NOT IN (\(legacyLearners))
                  AND NOT EXISTS (SELECT 1 FROM gamification.activity_log a WHERE a.user_id = d.user_id AND a.local_day = d.day)
                """),
        Aggregate(
            name: "streaks",
            expected: "SELECT user_id::text, concat_ws('/', current_streak, longest, last_active, frozen) FROM (\(expectedStreaks)) e",
            stored: """
                SELECT user_id::text, concat_ws('/', current_streak, longest_streak, last_activity_day, freezes_used) FROM gamification.user_streaks
                WHERE user_id IN (SELECT user_id FROM gamification.streak_days)
                   OR (current_streak, longest_streak, freezes_used) <> (0, 0, 0) OR last_activity_day IS NOT NULL
                """,
            fix: """
                INSERT INTO gamification.user_streaks AS s (user_id, current_streak, longest_streak, last_activity_day, covered_through, freezes_used)
                SELECT user_id, current_streak, longest, last_active, last_active, frozen FROM (\(expectedStreaks)) e
                ON CONFLICT (user_id) DO UPDATE SET current_streak = excluded.current_streak, longest_streak = excluded.longest_streak,
                    last_activity_day = excluded.last_activity_day, freezes_used = excluded.freezes_used, updated_at = now()
                WHERE (s.current_streak, s.longest_streak, s.last_activity_day, s.freezes_used)
                      IS DISTINCT FROM (excluded.current_streak, excluded.longest_streak, excluded.last_activity_day, excluded.freezes_used);
                UPDATE gamification.user_streaks s SET current_streak = 0, longest_streak = 0, last_activity_day = NULL, freezes_used = 0, updated_at = now()
                WHERE NOT EXISTS (SELECT 1 FROM gamification.streak_days d WHERE d.user_id = s.user_id)
                  AND ((s.current_streak, s.longest_streak, s.freezes_used) <> (0, 0, 0) OR s.last_activity_day IS NOT NULL)
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
