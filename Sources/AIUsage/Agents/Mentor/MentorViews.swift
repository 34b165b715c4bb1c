import Foundation
import ServiceKit
import Hummingbird

/// A session of a learner with the AI mentor.
struct MentorSessionView: Codable, Sendable, Equatable, ResponseEncodable {
    var id: UUID
    var studentId: UUID
    var sessionType: String
    var contextData: JSONValue?
    var recommendations: JSONValue?
    var actionItems: JSONValue?
    var followUpDate: Date?
    /// active, completed or cancelled.
    var status: String
    var startedAt: Date
    /// When the session was completed or cancelled.
    var completedAt: Date?
    var createdAt: Date
    var updatedAt: Date

    enum CodingKeys: String, CodingKey {
        case id, studentId = "student_id", sessionType = "session_type", contextData = "context_data", recommendations
        case actionItems = "action_items", followUpDate = "follow_up_date", status, startedAt = "started_at"
        case completedAt = "completed_at", createdAt = "created_at", updatedAt = "updated_at"
    }
}

/// A message of a mentor session.
struct MentorMessageView: Codable, Sendable, Equatable, ResponseEncodable {
    var id: UUID
    var sessionId: UUID
    /// user, mentor or system.
    var role: String
    var content: String
    var metadata: JSONValue?
    var createdAt: Date

    enum CodingKeys: String, CodingKey {
        case id, sessionId = "session_id", role, content, metadata, createdAt = "created_at"
    }
}

/// A task for the AI mentor about a learner.
struct MentorTaskView: Codable, Sendable, Equatable, ResponseEncodable {
    var id: UUID
    var triggeredBy: String
    var studentId: UUID
    var taskType: String
    var description: String
    var priority: String
    var contextData: JSONValue?
    /// pending, in_progress, completed or cancelled.
    var status: String
    var assignedAt: Date
    var completedAt: Date?
    var result: JSONValue?
    var createdAt: Date
    var updatedAt: Date

    enum CodingKeys: String, CodingKey {
        case id, triggeredBy = "triggered_by", studentId = "student_id", taskType = "task_type", description, priority
        case contextData = "context_data", status, assignedAt = "assigned_at", completedAt = "completed_at", result
        case createdAt = "created_at", updatedAt = "updated_at"
    }
}
