import Foundation
import ServiceKit

/// The body of `POST /v1/mentor/sessions`: the AI mentor (or a curator, an admin) opens a session
/// with a learner.
struct MentorSessionInput: Decodable, Sendable {
    var studentId: UUID?
    var sessionType: String
    var contextData: JSONValue?
    var recommendations: JSONValue?
    var actionItems: JSONValue?
    var followUpDate: Date?
    /// When the session began; now when absent.
    var startedAt: Date?

    enum CodingKeys: String, CodingKey {
        case studentId = "student_id", sessionType = "session_type", contextData = "context_data", recommendations
        case actionItems = "action_items", followUpDate = "follow_up_date", startedAt = "started_at"
    }

    static let sessionTypes = ["learning_support", "motivation", "career_guidance", "progress_review", "problem_solving"]
    static let statuses = ["active", "completed", "cancelled"]

    func validated(scope: AgentScope) throws -> NewMentorSession {
        let student = try scope.learner(studentId, "student_id")
        var checks = AgentChecks()
        checks.oneOf(sessionType, "session_type", Self.sessionTypes, required: true)
        let context = checks.json(contextData, "context_data")
        let recommendations = checks.json(recommendations, "recommendations", arrayAllowed: true)
        let actionItems = checks.json(actionItems, "action_items", arrayAllowed: true)
        checks.timestamp(followUpDate, "follow_up_date")
        checks.timestamp(startedAt, "started_at")
        try checks.throwIfAny()
        return NewMentorSession(studentId: student, sessionType: sessionType, contextData: context, recommendations: recommendations,
                                actionItems: actionItems, followUpDate: followUpDate, startedAt: startedAt)
    }
}

struct NewMentorSession: Sendable {
    var studentId: UUID
    var sessionType: String
    var contextData: JSONValue?
    var recommendations: JSONValue?
    var actionItems: JSONValue?
    var followUpDate: Date?
    var startedAt: Date?
}

/// The body of `PATCH /v1/mentor/sessions/{session_id}`: ends an active session (`completed` or
/// `cancelled`), and/or replaces its recommendations, action items or follow-up date. Absent
/// fields stay as they are.
struct MentorSessionChangeInput: Decodable, Sendable {
    var status: String?
    var recommendations: JSONValue?
    var actionItems: JSONValue?
    var followUpDate: Date?

    enum CodingKeys: String, CodingKey {
        case status, recommendations, actionItems = "action_items", followUpDate = "follow_up_date"
    }

    func validated() throws -> MentorSessionChange {
        var checks = AgentChecks()
        checks.oneOf(status, "status", MentorSessionInput.statuses)
        let recommendations = checks.json(recommendations, "recommendations", arrayAllowed: true)
        let actionItems = checks.json(actionItems, "action_items", arrayAllowed: true)
        checks.timestamp(followUpDate, "follow_up_date")
        if status == nil, recommendations == nil, actionItems == nil, followUpDate == nil {
            checks.fail("body", "names nothing to change: give status, recommendations, action_items or follow_up_date")
        }
        try checks.throwIfAny()
        return MentorSessionChange(status: status, recommendations: recommendations, actionItems: actionItems, followUpDate: followUpDate)
    }
}

struct MentorSessionChange: Sendable {
    var status: String?
    var recommendations: JSONValue?
    var actionItems: JSONValue?
    var followUpDate: Date?
}

/// The body of `POST /v1/mentor/sessions/{session_id}/messages`.
struct MentorMessageInput: Decodable, Sendable {
    var role: String
    var content: String
    var metadata: JSONValue?

    static let roles = ["user", "mentor", "system"]

    /// A learner writes only `user` messages (403 naming `role`).
    func validated(scope: AgentScope) throws -> NewMentorMessage {
        var checks = AgentChecks()
        checks.oneOf(role, "role", Self.roles, required: true)
        checks.content(content, "content", max: CuratorMessageInput.maxContent)
        let metadata = checks.json(metadata, "metadata")
        try checks.throwIfAny()
        if scope.isLearner, role != "user" { throw AgentProblems.forbidden("role", "learners write only user messages") }
        return NewMentorMessage(role: role, content: content, metadata: metadata)
    }
}

struct NewMentorMessage: Sendable {
    var role: String
    var content: String
    var metadata: JSONValue?
}
