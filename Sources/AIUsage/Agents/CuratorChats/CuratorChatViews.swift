import Foundation
import ServiceKit
import Hummingbird

/// A learner's chat with the AI curator.
struct CuratorChatView: Codable, Sendable, Equatable, ResponseEncodable {
    var id: UUID
    var userId: UUID
    var title: String?
    var createdAt: Date
    /// Moves whenever a message is added.
    var updatedAt: Date

    enum CodingKeys: String, CodingKey {
        case id, userId = "user_id", title, createdAt = "created_at", updatedAt = "updated_at"
    }
}

/// A message of a curator chat, with the curator's reading of the learner's mood.
struct CuratorMessageView: Codable, Sendable, Equatable, ResponseEncodable {
    var id: UUID
    var chatId: UUID
    /// user, assistant or system.
    var role: String
    var content: String
    var studentMood: String?
    var moodConfidence: Double?
    var moodIndicators: JSONValue?
    var isProblemDetected: Bool
    var problemType: String?
    var createdAt: Date

    enum CodingKeys: String, CodingKey {
        case id, chatId = "chat_id", role, content, studentMood = "student_mood", moodConfidence = "mood_confidence"
        case moodIndicators = "mood_indicators", isProblemDetected = "is_problem_detected", problemType = "problem_type"
        case createdAt = "created_at"
    }
}

/// A message in which the curator detected a problem, with the learner whose chat it is.
struct CuratorProblemView: Encodable, Sendable, Equatable {
    var userId: UUID
    var message: CuratorMessageView

    enum CodingKeys: String, CodingKey {
        case userId = "user_id"
    }

    func encode(to encoder: any Encoder) throws {
        try message.encode(to: encoder)
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(userId, forKey: .userId)
    }
}
