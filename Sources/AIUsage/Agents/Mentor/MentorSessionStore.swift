import Foundation
import Logging
import PostgresNIO
import ServiceKit

/// SQL of mentor sessions and their messages. Reads and message writes take `owner`: the learner
/// whose sessions the caller may touch (nil: anyone's).
struct MentorSessionStore: Sendable {
    let database: PostgresClient

    init(environment: ServiceEnvironment) {
        database = environment.database
    }

    static let columns = """
        id, student_id, session_type, context_data::text, recommendations::text, action_items::text, follow_up_date, status,
        started_at, completed_at, created_at, updated_at
        """

    func create(_ session: NewMentorSession, logger: Logger) async throws -> MentorSessionView {
        guard let view = try await Self.first(try await database.query("""
            INSERT INTO ai_usage.ai_mentor_sessions
                (student_id, session_type, context_data, recommendations, action_items, follow_up_date, started_at)
            VALUES (\(session.studentId), \(session.sessionType), \(session.contextData?.text)::jsonb, \(session.recommendations?.text)::jsonb,
                    \(session.actionItems?.text)::jsonb, \(session.followUpDate), coalesce(\(session.startedAt), clock_timestamp()))
            RETURNING \(unescaped: Self.columns)
            """, logger: logger)) else { throw Problem.internalError }
        return view
    }

    /// Sessions newest first; `student` nil: everyone's.
    func list(student: UUID?, status: String?, after: PageCursor?, limit: Int, logger: Logger) async throws -> Page<MentorSessionView> {
        let rows = try await database.query("""
            SELECT \(unescaped: Self.columns) FROM ai_usage.ai_mentor_sessions
            WHERE (\(student)::uuid IS NULL OR student_id = \(student))
              AND (\(status)::text IS NULL OR status = \(status))
              AND (\(after?.micros)::bigint IS NULL
                   OR (created_at, id) < (\(instant: after?.micros), \(after?.id)))
            ORDER BY created_at DESC, id DESC LIMIT \(limit + 1)
            """, logger: logger).decode(Row.self).all().map(Self.view)
        return Page(rows: rows, limit: limit) { PageCursor(at: $0.createdAt, id: $0.id) }
    }

    func session(_ id: UUID, owner: UUID?, logger: Logger) async throws -> MentorSessionView? {
        try await Self.first(try await database.query("""
            SELECT \(unescaped: Self.columns) FROM ai_usage.ai_mentor_sessions
            WHERE id = \(id) AND (\(owner)::uuid IS NULL OR student_id = \(owner))
            """, logger: logger))
    }

    /// Applies a change under the row lock; nil when there is no such session. Only an active
    /// session ends (409 naming `status` otherwise); ending sets `completed_at`. The same status
    /// again changes nothing.
    func change(_ id: UUID, _ change: MentorSessionChange, logger: Logger) async throws -> MentorSessionView? {
        try await database.transaction(logger: logger) { connection -> MentorSessionView? in
            guard let current = try await Self.first(try await connection.query("""
                SELECT \(unescaped: Self.columns) FROM ai_usage.ai_mentor_sessions WHERE id = \(id) FOR UPDATE
                """, logger: logger)) else { return nil }
            var ends = false
            if let wanted = change.status, wanted != current.status {
                guard current.status == "active", wanted != "active" else {
                    throw AgentProblems.illegalTransition(from: current.status, to: wanted,
                                                          allowed: current.status == "active" ? ["completed", "cancelled"] : [])
                }
                ends = true
            }
            return try await Self.first(try await connection.query("""
                UPDATE ai_usage.ai_mentor_sessions SET
                    status = \(ends ? change.status : current.status),
                    completed_at = CASE WHEN \(ends) THEN clock_timestamp() ELSE completed_at END,
                    recommendations = coalesce(\(change.recommendations?.text)::jsonb, recommendations),
                    action_items = coalesce(\(change.actionItems?.text)::jsonb, action_items),
                    follow_up_date = coalesce(\(change.followUpDate), follow_up_date)
                WHERE id = \(id)
                RETURNING \(unescaped: Self.columns)
                """, logger: logger))
        }
    }

    static let messageColumns = "id, session_id, role, content, metadata::text, created_at"

    /// Adds a message under the session's row lock (so messages are timed in the order added);
    /// nil when `owner` has no such session.
    func addMessage(_ message: NewMentorMessage, to session: UUID, owner: UUID?, logger: Logger) async throws -> MentorMessageView? {
        try await database.transaction(logger: logger) { connection -> MentorMessageView? in
            guard try await connection.query("""
                SELECT 1 FROM ai_usage.ai_mentor_sessions WHERE id = \(session) AND (\(owner)::uuid IS NULL OR student_id = \(owner)) FOR UPDATE
                """, logger: logger).decode(Int.self).firstElement() != nil else { return nil }
            return try await connection.query("""
                INSERT INTO ai_usage.ai_mentor_messages (session_id, role, content, metadata)
                VALUES (\(session), \(message.role), \(message.content), \(message.metadata?.text)::jsonb)
                RETURNING \(unescaped: Self.messageColumns)
                """, logger: logger).decode(MessageRow.self).firstElement().map(Self.messageView)
        }
    }

    /// A session's messages oldest first; nil when `owner` has no such session.
    func messages(of session: UUID, owner: UUID?, after: PageCursor?, limit: Int, logger: Logger) async throws -> Page<MentorMessageView>? {
        guard try await self.session(session, owner: owner, logger: logger) != nil else { return nil }
        let rows = try await database.query("""
            SELECT \(unescaped: Self.messageColumns) FROM ai_usage.ai_mentor_messages
            WHERE session_id = \(session)
              AND (\(after?.micros)::bigint IS NULL
                   OR (created_at, id) > (\(instant: after?.micros), \(after?.id)))
            ORDER BY created_at, id LIMIT \(limit + 1)
            """, logger: logger).decode(MessageRow.self).all().map(Self.messageView)
        return Page(rows: rows, limit: limit) { PageCursor(at: $0.createdAt, id: $0.id) }
    }

    typealias Row = (UUID, UUID, String, String?, String?, String?, Date?, String, Date, Date?, Date, Date)
    typealias MessageRow = (UUID, UUID, String, String, String?, Date)

    static func first(_ rows: PostgresRowSequence) async throws -> MentorSessionView? {
        try await rows.decode(Row.self).firstElement().map(view)
    }

    static func view(_ row: Row) -> MentorSessionView {
        MentorSessionView(id: row.0, studentId: row.1, sessionType: row.2, contextData: JSONValue.parse(row.3),
                          recommendations: JSONValue.parse(row.4), actionItems: JSONValue.parse(row.5), followUpDate: row.6,
                          status: row.7, startedAt: row.8, completedAt: row.9, createdAt: row.10, updatedAt: row.11)
    }

    static func messageView(_ row: MessageRow) -> MentorMessageView {
        MentorMessageView(id: row.0, sessionId: row.1, role: row.2, content: row.3, metadata: JSONValue.parse(row.4), createdAt: row.5)
    }
}
