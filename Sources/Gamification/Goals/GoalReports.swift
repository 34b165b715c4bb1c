import Foundation
import Logging
import PostgresNIO
import ServiceKit
import ServiceLifecycle

/// SQL of weekly goal reports. Each learner's week runs Monday to Sunday in their own timezone;
/// a report is written once, after the week has ended there, and never changes afterwards
/// (`goals_in_progress` is the count when it was written; `goals_overdue` counts goals due by the
/// week's last day that were not done when it ended).
struct GoalReportStore: Sendable {
    let database: PostgresClient
    let platformTimeZone: String

    init(environment: ServiceEnvironment) {
        database = environment.database
        platformTimeZone = environment.settings.platformTimeZone
    }

    /// Writes the missing reports of every learner with goals: for the week starting `week`
    /// (a Monday), or else for each learner's last complete week. Idempotent; returns how many
    /// were written. Only weeks that have ended in the learner's zone are reported.
    func generate(week: String? = nil, logger: Logger) async throws -> Int {
        try await database.query("""
            WITH learners AS (
                SELECT g.user_id, coalesce(s.timezone, \(platformTimeZone)) AS tz
                FROM (SELECT DISTINCT user_id FROM gamification.goals) g LEFT JOIN gamification.learner_settings s USING (user_id)
            ), weeks AS (
                SELECT user_id, tz, coalesce(\(week)::date, date_trunc('week', now() AT TIME ZONE tz)::date - 7) AS week_start FROM learners
            ), bounds AS (
                SELECT user_id, tz, week_start, week_start::timestamp AT TIME ZONE tz AS from_at, (week_start + 7)::timestamp AT TIME ZONE tz AS to_at
                FROM weeks
            )
            INSERT INTO gamification.weekly_goal_reports
                (user_id, week_start, week_end, goals_created, goals_completed, goals_in_progress, goals_overdue, xp_earned, achievements_unlocked)
            SELECT b.user_id, b.week_start, b.week_start + 6,
                   (SELECT count(*) FROM gamification.goals g WHERE g.user_id = b.user_id AND g.created_at >= b.from_at AND g.created_at < b.to_at),
                   (SELECT count(*) FROM gamification.goals g WHERE g.user_id = b.user_id AND g.completed_at >= b.from_at AND g.completed_at < b.to_at),
                   (SELECT count(*) FROM gamification.goals g WHERE g.user_id = b.user_id AND g.status = 'in_progress' AND g.created_at < b.to_at),
                   (SELECT count(*) FROM gamification.goals g
                    WHERE g.user_id = b.user_id AND g.created_at < b.to_at AND g.due_date <= b.week_start + 6
                      AND (g.completed_at IS NULL OR g.completed_at >= b.to_at)),
                   coalesce((SELECT sum(l.amount) FROM gamification.xp_ledger l
                             WHERE l.user_id = b.user_id AND l.currency = 'xp' AND l.created_at >= b.from_at AND l.created_at < b.to_at), 0),
                   coalesce((SELECT jsonb_agg(a.code ORDER BY x.unlocked_at, a.code) FROM gamification.achievement_unlocks x
                             JOIN gamification.achievements a ON a.id = x.achievement_id
                             WHERE x.user_id = b.user_id AND x.unlocked_at >= b.from_at AND x.unlocked_at < b.to_at), '[]')
            FROM bounds b
            WHERE b.to_at <= now()
              AND EXISTS (SELECT 1 FROM gamification.goals g WHERE g.user_id = b.user_id AND g.created_at < b.to_at)
            ON CONFLICT (user_id, week_start) DO NOTHING
            RETURNING 1
            """, logger: logger).decode(Int.self).all().count
    }

    func reports(of userID: UUID, page: PageQuery, logger: Logger) async throws -> Page<WeeklyGoalReport> {
        let before = page.after.map { Date(timeIntervalSince1970: Double($0.micros) / 1_000_000) } ?? Date.distantFuture
        let rows = try await database.query("""
            SELECT week_start::text, week_end::text, goals_created, goals_completed, goals_in_progress, goals_overdue, xp_earned,
                   achievements_unlocked::text, created_at, (extract(epoch FROM week_start::timestamp) * 1000000)::bigint
            FROM gamification.weekly_goal_reports
            WHERE user_id = \(userID) AND week_start::timestamp AT TIME ZONE 'UTC' < \(before)
            ORDER BY week_start DESC LIMIT \(page.limit + 1)
            """, logger: logger).decode((String, String, Int, Int, Int, Int, Int64, String, Date, Int64).self).all()
        let reports = rows.prefix(page.limit).map {
            WeeklyGoalReport(userId: userID, weekStart: $0.0, weekEnd: $0.1, goalsCreated: $0.2, goalsCompleted: $0.3, goalsInProgress: $0.4,
                             goalsOverdue: $0.5, xpEarned: $0.6, achievementsUnlocked: (try? JSONDecoder().decode([String].self, from: Data($0.7.utf8))) ?? [],
                             createdAt: $0.8)
        }
        let next = rows.count > page.limit ? rows[page.limit - 1] : nil
        return Page(items: Array(reports), nextCursor: next.map { PageCursor(micros: $0.9, id: userID).encoded })
    }
}

/// Writes last week's goal reports as weeks end around the world: every `interval`, in every
/// replica (the insert is idempotent).
final class GoalReportJob: Service, Sendable {
    let store: GoalReportStore
    let interval: Duration
    let logger: Logger

    init(store: GoalReportStore, interval: Duration = .seconds(900), logger: Logger) {
        self.store = store
        self.interval = interval
        self.logger = logger
    }

    func run() async throws {
        try? await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                do {
                    // One statement over every learner with goals: a generous deadline, so a query lost on a
                    // dying session cannot stop the weekly reports for good.
                    let written = try await DatabaseDeadline.run(.seconds(600)) { try await self.store.generate(logger: self.logger) }
                    if written > 0 { self.logger.info("weekly goal reports written", metadata: ["reports": "\(written)"]) }
                } catch {
                    self.logger.warning("weekly goal reports failed; will try again", metadata: ["error": "\(PostgresErrorText.describe(error))"])
                }
                try await Task.sleep(for: self.interval)
            }
        }
    }
}
