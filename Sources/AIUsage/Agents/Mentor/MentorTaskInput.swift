import Foundation
import ServiceKit

/// The body of `POST /v1/mentor/tasks`: work for the AI mentor about a learner, raised by the
/// curator agent, an analyst report, an admin, a schedule or the learner's own request.
struct MentorTaskInput: Decodable, Sendable {
    var triggeredBy: String
    var studentId: UUID
    var taskType: String
    var description: String
    var priority: String?
    var contextData: JSONValue?

    enum CodingKeys: String, CodingKey {
        case triggeredBy = "triggered_by", studentId = "student_id", taskType = "task_type", description, priority
        case contextData = "context_data"
    }

    static let triggers = ["ai_curator_alert", "analyst_report", "admin_request", "scheduled", "student_request"]
    static let priorities = ["low", "medium", "high", "urgent"]
    static let statuses = ["pending", "in_progress", "completed", "cancelled"]
    static let maxTaskType = 100
    static let maxDescription = 20_000

    func validated() throws -> NewMentorTask {
        var checks = AgentChecks()
        checks.oneOf(triggeredBy, "triggered_by", Self.triggers, required: true)
        let taskType = checks.label(taskType, "task_type", max: Self.maxTaskType, required: true)
        checks.content(description, "description", max: Self.maxDescription)
        checks.oneOf(priority, "priority", Self.priorities)
        let context = checks.json(contextData, "context_data")
        try checks.throwIfAny()
        return NewMentorTask(triggeredBy: triggeredBy, studentId: studentId, taskType: taskType ?? self.taskType, description: description,
                             priority: priority ?? "medium", contextData: context)
    }
}

struct NewMentorTask: Sendable {
    var triggeredBy: String
    var studentId: UUID
    var taskType: String
    var description: String
    var priority: String
    var contextData: JSONValue?
}

/// The body of `PATCH /v1/mentor/tasks/{task_id}`: the mentor takes a task up (`in_progress`),
/// finishes it (`completed`, with an optional `result` object) or drops it (`cancelled`).
struct MentorTaskChangeInput: Decodable, Sendable {
    var status: String
    var result: JSONValue?

    /// Where each status may go.
    static let transitions: [String: [String]] = [
        "pending": ["in_progress", "cancelled"],
        "in_progress": ["completed", "cancelled"],
        "completed": [],
        "cancelled": [],
    ]

    func validated() throws -> MentorTaskChange {
        var checks = AgentChecks()
        checks.oneOf(status, "status", MentorTaskInput.statuses, required: true)
        let result = checks.json(result, "result")
        if result != nil, status != "completed" { checks.fail("result", "is kept only when the task is completed") }
        try checks.throwIfAny()
        return MentorTaskChange(status: status, result: result)
    }
}

struct MentorTaskChange: Sendable {
    var status: String
    var result: JSONValue?
}
