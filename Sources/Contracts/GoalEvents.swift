import Foundation

/// A learner completed one of their own goals (the first time it was done).
public struct GoalCompleted: EventPayload {
    public static let eventType = "gamification.goal_completed"
    public static let eventVersion = 1

    public var userId: UUID
    public var goalId: UUID
    public var priority: String
    public var dueDate: String?
    /// Done on or before the due date (in the learner's timezone); nil without a due date.
    public var beforeDeadline: Bool?
    public var completedAt: Date

    public init(userId: UUID, goalId: UUID, priority: String, dueDate: String?, beforeDeadline: Bool?, completedAt: Date) {
        self.userId = userId
        self.goalId = goalId
        self.priority = priority
        self.dueDate = dueDate
        self.beforeDeadline = beforeDeadline
        self.completedAt = completedAt
    }

    enum CodingKeys: String, CodingKey {
        case userId = "user_id"
        case goalId = "goal_id"
        case priority
        case dueDate = "due_date"
        case beforeDeadline = "before_deadline"
        case completedAt = "completed_at"
    }
}
