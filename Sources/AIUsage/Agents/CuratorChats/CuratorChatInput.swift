import Foundation
import ServiceKit

/// The body of `POST /v1/curator/chats`: a chat of a learner with the AI curator.
struct CuratorChatInput: Decodable, Sendable {
    /// The learner; a learner may leave it out (themselves), staff and the curator agent must name one.
    var userId: UUID?
    var title: String?

    enum CodingKeys: String, CodingKey {
        case userId = "user_id", title
    }

    static let maxTitle = 200

    /// The new chat, or a 422 naming every field at fault (403 when a learner names another).
    func validated(scope: AgentScope) throws -> NewCuratorChat {
        let user = try scope.learner(userId, "user_id")
        var checks = AgentChecks()
        let title = checks.label(title, "title", max: Self.maxTitle)
        try checks.throwIfAny()
        return NewCuratorChat(userId: user, title: title)
    }
}

struct NewCuratorChat: Sendable {
    var userId: UUID
    var title: String?
}

/// The body of `POST /v1/curator/chats/{chat_id}/messages`: a learner's message (role `user`)
/// or the curator's (`assistant`, `system`), with the curator's reading of the learner's mood.
struct CuratorMessageInput: Decodable, Sendable {
    var role: String
    var content: String
    var studentMood: String?
    /// 0–1, kept to two decimals (the seed's DECIMAL(3,2)).
    var moodConfidence: Double?
    var moodIndicators: JSONValue?
    var isProblemDetected: Bool?
    var problemType: String?

    enum CodingKeys: String, CodingKey {
        case role, content, studentMood = "student_mood", moodConfidence = "mood_confidence", moodIndicators = "mood_indicators"
        case isProblemDetected = "is_problem_detected", problemType = "problem_type"
    }

    static let roles = ["user", "assistant", "system"]
    static let moods = ["positive", "neutral", "negative", "frustrated", "confused", "motivated"]
    static let problemTypes = ["understanding", "motivation", "technical", "personal"]
    static let maxContent = 100_000

    /// The message, or a 422 naming every field at fault. A learner writes only `user` messages,
    /// without the mood analysis, which is the curator's (403 naming the field).
    func validated(scope: AgentScope) throws -> NewCuratorMessage {
        var checks = AgentChecks()
        checks.oneOf(role, "role", Self.roles, required: true)
        checks.content(content, "content", max: Self.maxContent)
        checks.oneOf(studentMood, "student_mood", Self.moods)
        if let moodConfidence {
            checks.check((0...1).contains(moodConfidence), "mood_confidence", "must be between 0 and 1")
            checks.check(studentMood != nil, "mood_confidence", "needs student_mood")
        }
        let indicators = checks.json(moodIndicators, "mood_indicators")
        checks.oneOf(problemType, "problem_type", Self.problemTypes)
        let detected = isProblemDetected ?? (problemType != nil)
        if problemType != nil, !detected { checks.fail("problem_type", "needs is_problem_detected true") }
        try checks.throwIfAny()
        if scope.isLearner {
            if role != "user" { throw AgentProblems.forbidden("role", "learners write only user messages") }
            let analysis: [(String, Bool)] = [("student_mood", studentMood != nil), ("mood_confidence", moodConfidence != nil),
                                              ("mood_indicators", indicators != nil), ("is_problem_detected", isProblemDetected != nil),
                                              ("problem_type", problemType != nil)]
            if let field = analysis.first(where: \.1)?.0 { throw AgentProblems.forbidden(field, "the mood analysis is the curator's") }
        }
        return NewCuratorMessage(role: role, content: content, studentMood: studentMood, moodConfidence: moodConfidence.map { String(format: "%.2f", $0) },
                                 moodIndicators: indicators, isProblemDetected: detected, problemType: problemType)
    }
}

struct NewCuratorMessage: Sendable {
    var role: String
    var content: String
    var studentMood: String?
    /// Two decimals exactly, e.g. "0.85", bound as numeric.
    var moodConfidence: String?
    var moodIndicators: JSONValue?
    var isProblemDetected: Bool
    var problemType: String?
}
