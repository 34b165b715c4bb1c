import Foundation
import Logging
import PostgresNIO
import ServiceKit

/// SQL of the AI mentor's tasks.
struct MentorTaskStore: Sendable {
    let database: PostgresClient

    init(environment: ServiceEnvironment) {
        database = environment.database
    }

    static let columns = """
        id, triggered_by, student_id, task_type, description, priority, context_data::text, status, assigned_at, completed_at,
        result::text, created_at, updated_at
        """

    func create(_ task: NewMentorTask, logger: Logger) async throws -> MentorTaskView {
        guard let view = try await Self.first(try await database.query("""
            INSERT INTO ai_usage.ai_mentor_tasks (triggered_by, student_id, task_type, description, priority, context_data)
            VALUES (\(task.triggeredBy), \(task.studentId), \(task.taskType), \(task.description), \(task.priority),
                    \(task.contextData?.text)::jsonb)
            RETURNING \(unescaped: Self.columns)
            """, logger: logger)) else { throw Problem.internalError }
        return view
    }

    struct Filter: Sendable {
        var student: UUID?
        var status: String?
        var priority: String?
    }

    /// Tasks newest first.
    func list(_ filter: Filter, after: PageCursor?, limit: Int, logger: Logger) async throws -> Page<MentorTaskView> {
        let rows = try await database.query("""
            SELECT \(unescaped: Self.columns) FROM ai_usage.ai_mentor_tasks
            WHERE (\(filter.student)::uuid IS NULL OR student_id = \(filter.student))
              AND (\(filter.status)::text IS NULL OR status = \(filter.status))
              AND (\(filter.priority)::text IS NULL OR priority = \(filter.priority))
              AND (\(after?.micros)::bigint IS NULL
                   OR (created_at, id) < (\(instant: after?.micros), \(after?.id)))
            ORDER BY created_at DESC, id DESC LIMIT \(limit + 1)
            """, logger: logger).decode(Row.self).all().map(Self.view)
        return Page(rows: rows, limit: limit) { PageCursor(at: $0.createdAt, id: $0.id) }
    }

    /// Moves a task along `MentorTaskChangeInput.transitions` under the row lock; nil when there
    /// is no such task. The same status again changes nothing; any other move is 409 naming `status`.
    func change(_ id: UUID, _ change: MentorTaskChange, logger: Logger) async throws -> MentorTaskView? {
        try await database.transaction(logger: logger) { connection -> MentorTaskView? in
            guard let current = try await Self.first(try await connection.query("""
                SELECT \(unescaped: Self.columns) FROM ai_usage.ai_mentor_tasks WHERE id = \(id) FOR UPDATE
                """, logger: logger)) else { return nil }
            guard change.status != current.status else { return current }
            let allowed = MentorTaskChangeInput.transitions[current.status] ?? []
            guard allowed.contains(change.status) else {
                throw AgentProblems.illegalTransition(from: current.status, to: change.status, allowed: allowed)
            }
            return try await Self.first(try await connection.query("""
                UPDATE ai_usage.ai_mentor_tasks SET
                    status = \(change.status),
                    completed_at = CASE WHEN \(change.status) = 'completed' THEN clock_timestamp() END,
                    result = \(change.result?.text)::jsonb
                WHERE id = \(id)
                RETURNING \(unescaped: Self.columns)
                """, logger: logger))
        }
    }

    typealias Row = (UUID, String, UUID, String, String, String, String?, String, Date, Date?, String?, Date, Date)

    static func first(_ rows: PostgresRowSequence) async throws -> MentorTaskView? {
        try await rows.decode(Row.self).firstElement().map(view)
    }

    static func view(_ row: Row) -> MentorTaskView {
        MentorTaskView(id: row.0, triggeredBy: row.1, studentId: row.2, taskType: row.3, description: row.4, priority: row.5,
                       contextData: JSONValue.parse(row.6), status: row.7, assignedAt: row.8, completedAt: row.9,
                       result: JSONValue.parse(row.10), createdAt: row.11, updatedAt: row.12)
    }
}
