import Foundation
import Logging
import PostgresNIO
import ServiceKit

/// SQL of curator chats and their messages. Every read and write takes `owner`: the learner
/// whose chats the caller may touch (nil: anyone's), so another learner's chat is simply not found.
struct CuratorChatStore: Sendable {
    let database: PostgresClient

    init(environment: ServiceEnvironment) {
        database = environment.database
    }

    static let chatColumns = "id, user_id, title, created_at, updated_at"

    func create(_ chat: NewCuratorChat, logger: Logger) async throws -> CuratorChatView {
        guard let view = try await Self.firstChat(try await database.query("""
            INSERT INTO ai_usage.ai_curator_chats (user_id, title) VALUES (\(chat.userId), \(chat.title))
            RETURNING \(unescaped: Self.chatColumns)
            """, logger: logger)) else { throw Problem.internalError }
        return view
    }

    /// Chats newest first (by creation, so pages stay stable while chats get messages); `user` nil: everyone's.
    func list(user: UUID?, after: PageCursor?, limit: Int, logger: Logger) async throws -> Page<CuratorChatView> {
        let rows = try await database.query("""
            SELECT \(unescaped: Self.chatColumns) FROM ai_usage.ai_curator_chats
            WHERE (\(user)::uuid IS NULL OR user_id = \(user))
              AND (\(after?.micros)::bigint IS NULL
                   OR (created_at, id) < (\(instant: after?.micros), \(after?.id)))
            ORDER BY created_at DESC, id DESC LIMIT \(limit + 1)
            """, logger: logger).decode(ChatRow.self).all().map(Self.chatView)
        return Page(rows: rows, limit: limit) { PageCursor(at: $0.createdAt, id: $0.id) }
    }

    func chat(_ id: UUID, owner: UUID?, logger: Logger) async throws -> CuratorChatView? {
        try await Self.firstChat(try await database.query("""
            SELECT \(unescaped: Self.chatColumns) FROM ai_usage.ai_curator_chats
            WHERE id = \(id) AND (\(owner)::uuid IS NULL OR user_id = \(owner))
            """, logger: logger))
    }

    static let messageColumns = """
        id, chat_id, role, content, student_mood, mood_confidence::float8, mood_indicators::text, is_problem_detected, problem_type, created_at
        """

    /// Adds a message and moves the chat's `updated_at`, in one transaction; nil when `owner` has
    /// no such chat. The chat row is locked first, so messages take their times in the order they
    /// were added.
    func addMessage(_ message: NewCuratorMessage, to chat: UUID, owner: UUID?, logger: Logger) async throws -> CuratorMessageView? {
        try await database.transaction(logger: logger) { connection -> CuratorMessageView? in
            guard try await connection.query("""
                SELECT 1 FROM ai_usage.ai_curator_chats WHERE id = \(chat) AND (\(owner)::uuid IS NULL OR user_id = \(owner)) FOR UPDATE
                """, logger: logger).decode(Int.self).firstElement() != nil else { return nil }
            let added = try await connection.query("""
                INSERT INTO ai_usage.ai_curator_messages
                    (chat_id, role, content, student_mood, mood_confidence, mood_indicators, is_problem_detected, problem_type)
                VALUES (\(chat), \(message.role), \(message.content), \(message.studentMood), \(message.moodConfidence)::numeric,
                        \(message.moodIndicators?.text)::jsonb, \(message.isProblemDetected), \(message.problemType))
                RETURNING \(unescaped: Self.messageColumns)
                """, logger: logger).decode(MessageRow.self).firstElement().map(Self.messageView)
            try await connection.query("UPDATE ai_usage.ai_curator_chats SET updated_at = clock_timestamp() WHERE id = \(chat)", logger: logger)
            return added
        }
    }

    /// A chat's messages oldest first; nil when `owner` has no such chat.
    func messages(of chat: UUID, owner: UUID?, after: PageCursor?, limit: Int, logger: Logger) async throws -> Page<CuratorMessageView>? {
        guard try await self.chat(chat, owner: owner, logger: logger) != nil else { return nil }
        let rows = try await database.query("""
            SELECT \(unescaped: Self.messageColumns) FROM ai_usage.ai_curator_messages
            WHERE chat_id = \(chat)
              AND (\(after?.micros)::bigint IS NULL
                   OR (created_at, id) > (\(instant: after?.micros), \(after?.id)))
            ORDER BY created_at, id LIMIT \(limit + 1)
            """, logger: logger).decode(MessageRow.self).all().map(Self.messageView)
        return Page(rows: rows, limit: limit) { PageCursor(at: $0.createdAt, id: $0.id) }
    }

    /// What the problem feed is filtered by.
    struct ProblemFilter: Sendable {
        var problemType: String?
        var mood: String?
        var from: Date?
        var to: Date?
    }

    /// Messages in which a problem was detected, newest first, with the chat's learner.
    func problems(_ filter: ProblemFilter, after: PageCursor?, limit: Int, logger: Logger) async throws -> Page<CuratorProblemView> {
        let rows = try await database.query("""
            SELECT c.user_id, m.id, m.chat_id, m.role, m.content, m.student_mood, m.mood_confidence::float8, m.mood_indicators::text,
                   m.is_problem_detected, m.problem_type, m.created_at
            FROM ai_usage.ai_curator_messages m JOIN ai_usage.ai_curator_chats c ON c.id = m.chat_id
            WHERE m.is_problem_detected
              AND (\(filter.problemType)::text IS NULL OR m.problem_type = \(filter.problemType))
              AND (\(filter.mood)::text IS NULL OR m.student_mood = \(filter.mood))
              AND (\(filter.from)::timestamptz IS NULL OR m.created_at >= \(filter.from))
              AND (\(filter.to)::timestamptz IS NULL OR m.created_at < \(filter.to))
              AND (\(after?.micros)::bigint IS NULL
                   OR (m.created_at, m.id) < (\(instant: after?.micros), \(after?.id)))
            ORDER BY m.created_at DESC, m.id DESC LIMIT \(limit + 1)
            """, logger: logger).decode((UUID, UUID, UUID, String, String, String?, Double?, String?, Bool, String?, Date).self).all()
            .map { row in
                CuratorProblemView(userId: row.0, message: Self.messageView((row.1, row.2, row.3, row.4, row.5, row.6, row.7, row.8, row.9, row.10)))
            }
        return Page(rows: rows, limit: limit) { PageCursor(at: $0.message.createdAt, id: $0.message.id) }
    }

    typealias ChatRow = (UUID, UUID, String?, Date, Date)
    typealias MessageRow = (UUID, UUID, String, String, String?, Double?, String?, Bool, String?, Date)

    static func firstChat(_ rows: PostgresRowSequence) async throws -> CuratorChatView? {
        try await rows.decode(ChatRow.self).firstElement().map(chatView)
    }

    static func chatView(_ row: ChatRow) -> CuratorChatView {
        CuratorChatView(id: row.0, userId: row.1, title: row.2, createdAt: row.3, updatedAt: row.4)
    }

    static func messageView(_ row: MessageRow) -> CuratorMessageView {
        CuratorMessageView(id: row.0, chatId: row.1, role: row.2, content: row.3, studentMood: row.4, moodConfidence: row.5,
                           moodIndicators: JSONValue.parse(row.6), isProblemDetected: row.7, problemType: row.8, createdAt: row.9)
    }
}
