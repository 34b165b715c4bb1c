/// The gamification benchmark's data set, generated in SQL: `awards` lesson awards (25–200 XP)
/// of `learners` learners (about awards ÷ learners each, unevenly), each learner in one of
/// `courses` courses, at instants spread over the `days` days up to `today` (UTC); 1% of the
/// learners anonymous, 1% hidden. The ledger gets every award; the leaderboard aggregates are
/// built from the same awards with GROUP BY, as `leaderboard_add` would have left them.
struct GamificationBenchData {
    static let global = "00000000-0000-0000-0000-000000000000"

    var learners: Int
    var awards: Int
    var days: Int
    var courses: Int
    var today: String

    /// The tables whose keys and indexes `IndexesAroundLoad` drops for the load and rebuilds after it.
    static let bulkTables = ["gamification.xp_ledger", "gamification.leaderboard_scores"]

    /// Label and statement, in order, while the bulk tables have no indexes (an empty label
    /// continues the step before it).
    func load() -> [(String, String)] {
        let learner = "((hashint4(n) & 2147483647) % \(learners))"
        var steps: [(String, String)] = [
            ("\(awards) awards generated", """
                CREATE UNLOGGED TABLE gamification.bench_awards AS
                SELECT n, md5('learner' || \(learner))::uuid AS user_id, md5('course' || \(learner) % \(courses))::uuid AS course_id,
                       (ARRAY[25, 50, 50, 75, 100, 200])[1 + (n * 31) % 6] AS amount,
                       timestamptz '\(today) 23:59:59+00' - ((hashint4(n + 1000000000) & 2147483647) % \(days * 86_400)) * interval '1 second' AS at
                FROM generate_series(1, \(awards)) n
                """),
            ("learner settings: 1% anonymous, 1% hidden", """
                INSERT INTO gamification.learner_settings (user_id, leaderboard_visibility)
                SELECT md5('learner' || i)::uuid, CASE WHEN i % 100 = 0 THEN 'hidden' ELSE 'anonymous' END
                FROM generate_series(0, \(learners - 1)) i WHERE i % 50 = 0
                """),
            ("\(awards) ledger rows", """
                INSERT INTO gamification.xp_ledger (user_id, currency, amount, reason, rule, source_event_id, created_at)
                SELECT user_id, 'xp', amount, 'lesson completed', 'learning.lesson_completed', md5('event' || n)::uuid, at
                FROM gamification.bench_awards
                """),
            ("user totals", """
                INSERT INTO gamification.user_xp (user_id, total_xp, level)
                SELECT user_id, sum(amount), sum(amount) / 100 + 1 FROM gamification.bench_awards GROUP BY user_id
                """),
        ]
        let periods = [("daily", "(at AT TIME ZONE 'UTC')::date"), ("weekly", "date_trunc('week', at AT TIME ZONE 'UTC')::date"),
                       ("monthly", "date_trunc('month', at AT TIME ZONE 'UTC')::date"), ("all_time", "date '1970-01-01'")]
        for (period, start) in periods {
            for (scope, course) in [("global", "'\(Self.global)'::uuid"), ("course", "course_id")] {
                steps.append(("scores: \(period), \(scope)", """
                    INSERT INTO gamification.leaderboard_scores (user_id, period, period_start, course_id, xp, ranked)
                    SELECT g.user_id, '\(period)', g.period_start, g.course_id, g.xp, s.user_id IS NULL
                    FROM (SELECT user_id, \(start) AS period_start, \(course) AS course_id, sum(amount)::bigint AS xp
                          FROM gamification.bench_awards GROUP BY 1, 2, 3) g
                    LEFT JOIN gamification.learner_settings s ON s.user_id = g.user_id AND s.leaderboard_visibility = 'hidden'
                    """))
            }
        }
        return steps
    }

    /// After the indexes are back: the rank counts, then statistics.
    func finish() -> [(String, String)] {
        [
            ("score counts", """
                INSERT INTO gamification.leaderboard_score_counts (period, period_start, course_id, xp, learners)
                SELECT period, period_start, course_id, xp, count(*) FROM gamification.leaderboard_scores WHERE ranked GROUP BY 1, 2, 3, 4
                """),
            ("", "DROP TABLE gamification.bench_awards"),
            ("vacuum analyze", "VACUUM ANALYZE gamification.leaderboard_scores"),
            ("", "VACUUM ANALYZE gamification.leaderboard_score_counts"),
            ("", "VACUUM ANALYZE gamification.learner_settings"),
            ("", "VACUUM ANALYZE gamification.xp_ledger"),
            ("", "VACUUM ANALYZE gamification.user_xp"),
        ]
    }
}
