import Foundation
import Hummingbird
import ServiceKit

enum GoalStatus: String, Codable, Sendable, CaseIterable {
    case todo
    case inProgress = "in_progress"
    case done
}

enum GoalPriority: String, Codable, Sendable, CaseIterable {
    case low, medium, high
}

/// A learner's own goal.
struct GoalView: ResponseEncodable, Sendable, Equatable {
    var id: UUID
    var userId: UUID
    var title: String
    var description: String
    var status: GoalStatus
    var priority: GoalPriority
    var category: String?
    /// YYYY-MM-DD, a day in the learner's timezone.
    var dueDate: String?
    /// Not done and the due date has passed in the learner's timezone.
    var overdue: Bool
    var createdAt: Date
    var updatedAt: Date
    var completedAt: Date?

    enum CodingKeys: String, CodingKey {
        case id, title, description, status, priority, category, overdue
        case userId = "user_id"
        case dueDate = "due_date"
        case createdAt = "created_at"
        case updatedAt = "updated_at"
        case completedAt = "completed_at"
    }
}

/// The body of `POST /v1/users/{id}/goals` and of `PATCH /v1/goals/{id}` (`creating: false`:
/// every field optional; `"due_date": null` and `"category": null` clear them).
struct GoalInput: Decodable, Sendable {
    var title: String?
    var description: String?
    var status: GoalStatus?
    var priority: GoalPriority?
    var category: String??
    var dueDate: String??

    enum CodingKeys: String, CodingKey {
        case title, description, status, priority, category
        case dueDate = "due_date"
    }

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        title = try container.decodeIfPresent(String.self, forKey: .title)
        description = try container.decodeIfPresent(String.self, forKey: .description)
        status = try container.decodeIfPresent(GoalStatus.self, forKey: .status)
        priority = try container.decodeIfPresent(GoalPriority.self, forKey: .priority)
        if container.contains(.category) { category = .some(try container.decodeIfPresent(String.self, forKey: .category)) }
        if container.contains(.dueDate) { dueDate = .some(try container.decodeIfPresent(String.self, forKey: .dueDate)) }
    }

    func validated(creating: Bool) throws -> GoalInput {
        var checks = FieldChecks()
        checks.text(title, "title", max: 300, required: creating || title != nil)
        checks.text(description, "description", max: 5000)
        if case .some(.some(let category)) = category { checks.text(category, "category", max: 100, required: true) }
        if case .some(.some(let day)) = dueDate { checks.check(GoalDates.isDay(day), "due_date", "must be a date YYYY-MM-DD from 2000 to 2100") }
        try checks.throwIfAny()
        var input = self
        input.title = title?.trimmingCharacters(in: .whitespacesAndNewlines)
        if case .some(.some(let category)) = category { input.category = .some(category.trimmingCharacters(in: .whitespacesAndNewlines)) }
        return input
    }
}

enum GoalDates {
    /// A real calendar day written YYYY-MM-DD that is a Monday (a week's first day).
    static func isMonday(_ text: String) -> Bool {
        guard isDay(text), let date = ISO8601DateFormatter().date(from: text + "T12:00:00Z") else { return false }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC") ?? calendar.timeZone
        return calendar.component(.weekday, from: date) == 2
    }

    /// A real calendar day written YYYY-MM-DD (2026-02-30 is not one).
    static func isDay(_ text: String) -> Bool {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard text.count == 10, parts.count == 3, let year = Int(parts[0]), let month = Int(parts[1]), let day = Int(parts[2]),
              (2000...2100).contains(year), parts[1].count == 2, parts[2].count == 2 else { return false }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC") ?? calendar.timeZone
        let components = DateComponents(year: year, month: month, day: day)
        guard let date = calendar.date(from: components) else { return false }
        let back = calendar.dateComponents([.year, .month, .day], from: date)
        return back.year == year && back.month == month && back.day == day
    }
}

/// A learner's week of goals (Monday to Sunday in their timezone), written once after it ends.
struct WeeklyGoalReport: Codable, Sendable, Equatable {
    var userId: UUID
    var weekStart: String
    var weekEnd: String
    var goalsCreated: Int
    var goalsCompleted: Int
    var goalsInProgress: Int
    var goalsOverdue: Int
    var xpEarned: Int64
    var achievementsUnlocked: [String]
    var createdAt: Date

    enum CodingKeys: String, CodingKey {
        case userId = "user_id"
        case weekStart = "week_start"
        case weekEnd = "week_end"
        case goalsCreated = "goals_created"
        case goalsCompleted = "goals_completed"
        case goalsInProgress = "goals_in_progress"
        case goalsOverdue = "goals_overdue"
        case xpEarned = "xp_earned"
        case achievementsUnlocked = "achievements_unlocked"
        case createdAt = "created_at"
    }
}
