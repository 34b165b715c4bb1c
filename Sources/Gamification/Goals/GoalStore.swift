import Contracts
import Foundation
import Logging
import PostgresNIO
import ServiceKit

/// SQL of learners' goals. A goal's days (due date, overdue, before the deadline) are the
/// learner's own: their timezone, or the platform's.
struct GoalStore: Sendable {
    let database: PostgresClient
    let outbox: Outbox
    let platformTimeZone: String
    let achievements: AchievementUnlocker

    init(environment: ServiceEnvironment) {
        database = environment.database
        outbox = environment.outbox
        platformTimeZone = environment.settings.platformTimeZone
        achievements = AchievementUnlocker(ledger: XPLedger(environment: environment))
    }

    private var zone: String {
        "coalesce((SELECT s.timezone FROM gamification.learner_settings s WHERE s.user_id = g.user_id), '\(platformTimeZone.replacingOccurrences(of: "'", with: "''"))')"
    }

    private var columns: String {
        """
        g.id, g.user_id, g.title, g.description, g.status, g.priority, g.category, g.due_date::text,
        g.status <> 'done' AND g.due_date < (now() AT TIME ZONE \(zone))::date, g.created_at, g.updated_at, g.completed_at
        """
    }

    private typealias Row = (UUID, UUID, String, String, String, String, String?, String?, Bool?, Date, Date, Date?)

    private static func view(_ row: Row) -> GoalView {
        GoalView(id: row.0, userId: row.1, title: row.2, description: row.3, status: GoalStatus(rawValue: row.4) ?? .todo,
                 priority: GoalPriority(rawValue: row.5) ?? .medium, category: row.6, dueDate: row.7, overdue: row.8 ?? false,
                 createdAt: row.9, updatedAt: row.10, completedAt: row.11)
    }

    func create(_ input: GoalInput, for userID: UUID, logger: Logger) async throws -> GoalView {
        try await database.transaction(logger: logger) { connection in
            let id = UUID()
            let done = input.status == .done
            try await connection.query("""
                INSERT INTO gamification.goals (id, user_id, title, description, status, priority, category, due_date, completed_at, first_completed_at)
                VALUES (\(id), \(userID), \(input.title ?? ""), \(input.description ?? ""), \(input.status?.rawValue ?? "todo"),
                        \(input.priority?.rawValue ?? "medium"), \(input.category ?? nil), \(input.dueDate ?? nil)::date,
                        CASE WHEN \(done) THEN now() END, CASE WHEN \(done) THEN now() END)
                """, logger: logger)
            return try await finish(id, firstCompletion: done, on: connection, logger: logger)
        }
    }

    /// Changes a goal of `owner` (nil: any learner's, for an admin); nil when there is no such goal.
    func update(_ id: UUID, owner: UUID?, with patch: GoalInput, logger: Logger) async throws -> GoalView? {
        try await database.transaction(logger: logger) { connection in
            guard let (status, firstCompleted) = try await connection.query("""
                SELECT status, first_completed_at FROM gamification.goals WHERE id = \(id) AND (\(owner)::uuid IS NULL OR user_id = \(owner)) FOR UPDATE
                """, logger: logger).decode((String, Date?).self).firstElement() else { return nil }
            let newStatus = patch.status?.rawValue ?? status
            let completing = newStatus == "done" && status != "done"
            try await connection.query("""
                UPDATE gamification.goals SET
                    title = coalesce(\(patch.title), title), description = coalesce(\(patch.description), description),
                    status = \(newStatus), priority = coalesce(\(patch.priority?.rawValue), priority),
                    category = CASE WHEN \(patch.category != nil) THEN \(patch.category ?? nil) ELSE category END,
                    due_date = CASE WHEN \(patch.dueDate != nil) THEN \(patch.dueDate ?? nil)::date ELSE due_date END,
                    completed_at = CASE WHEN \(newStatus) <> 'done' THEN NULL WHEN \(completing) THEN now() ELSE completed_at END,
                    first_completed_at = coalesce(first_completed_at, CASE WHEN \(completing) THEN now() END),
                    updated_at = now()
                WHERE id = \(id)
                """, logger: logger)
            return try await finish(id, firstCompletion: completing && firstCompleted == nil, on: connection, logger: logger)
        }
    }

    /// Reads the goal back; on its first completion sends `goal_completed`.
    private func finish(_ id: UUID, firstCompletion: Bool, on connection: PostgresConnection, logger: Logger) async throws -> GoalView {
        guard let row = try await connection.query(PostgresQuery(unsafeSQL: """
            SELECT \(columns), (g.completed_at AT TIME ZONE \(zone))::date <= g.due_date FROM gamification.goals g WHERE g.id = $1
            """, binds: PostgresBindings(id)), logger: logger).decode((UUID, UUID, String, String, String, String, String?, String?, Bool?, Date, Date, Date?, Bool?).self)
            .firstElement() else { throw Problem.internalError }
        let goal = Self.view((row.0, row.1, row.2, row.3, row.4, row.5, row.6, row.7, row.8, row.9, row.10, row.11))
        if firstCompletion, let completedAt = goal.completedAt {
            try await LearnerCounters.add(.increments(forGoal: goal.priority, beforeDeadline: row.12), to: goal.userId, activityAt: nil,
                                          on: connection, logger: logger)
            try await achievements.evaluate(goal.userId, metadata: .about(user: goal.userId, actor: goal.userId), on: connection, logger: logger)
            try await outbox.append(GoalCompleted(userId: goal.userId, goalId: goal.id, priority: goal.priority.rawValue, dueDate: goal.dueDate,
                                                  beforeDeadline: row.12, completedAt: completedAt),
                                    .about(user: goal.userId, actor: goal.userId), on: connection, logger: logger)
        }
        return goal
    }

    func goal(_ id: UUID, logger: Logger) async throws -> GoalView? {
        try await database.query(PostgresQuery(unsafeSQL: "SELECT \(columns) FROM gamification.goals g WHERE g.id = $1", binds: PostgresBindings(id)),
                                 logger: logger).decode(Row.self).firstElement().map(Self.view)
    }

    func delete(_ id: UUID, owner: UUID?, logger: Logger) async throws -> Bool {
        try await database.query("""
            DELETE FROM gamification.goals WHERE id = \(id) AND (\(owner)::uuid IS NULL OR user_id = \(owner)) RETURNING 1
            """, logger: logger).decode(Int.self).firstElement() != nil
    }

    /// A learner's goals, newest first; `status` narrows them.
    func list(of userID: UUID, status: GoalStatus?, page: PageQuery, logger: Logger) async throws -> Page<GoalView> {
        var bindings = PostgresBindings()
        bindings.append(userID)
        bindings.append(status?.rawValue)
        bindings.append(page.after?.micros ?? PageCursor.validMicros.upperBound)
        bindings.append(page.after?.id ?? UUID(uuid: (255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255)))
        bindings.append(page.limit + 1)
        let rows = try await database.query(PostgresQuery(unsafeSQL: """
            SELECT \(columns), (extract(epoch FROM g.created_at) * 1000000)::bigint FROM gamification.goals g
            WHERE g.user_id = $1 AND ($2::text IS NULL OR g.status = $2)
              AND (g.created_at, g.id) < (timestamptz 'epoch' + $3 * interval '1 microsecond', $4)
            ORDER BY g.created_at DESC, g.id DESC LIMIT $5
            """, binds: bindings), logger: logger)
            .decode((UUID, UUID, String, String, String, String, String?, String?, Bool?, Date, Date, Date?, Int64).self).all()
        let goals = rows.prefix(page.limit).map { Self.view(($0.0, $0.1, $0.2, $0.3, $0.4, $0.5, $0.6, $0.7, $0.8, $0.9, $0.10, $0.11)) }
        let next = rows.count > page.limit ? rows[page.limit - 1] : nil
        return Page(items: Array(goals), nextCursor: next.map { PageCursor(micros: $0.12, id: $0.0).encoded })
    }
}
