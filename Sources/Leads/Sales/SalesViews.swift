import Foundation
import Hummingbird

/// A manager's figures (the seed's rpc_get_manager_stats). Money as decimal strings.
struct ManagerStatsView: Codable, Sendable, Equatable, ResponseEncodable {
    var managerId: UUID
    var totalStudents: Int
    var activeStudents: Int
    var completedStudents: Int
    var totalRevenue: String
    /// Completed students per 100 granted (0–100, two decimals; 0 without students).
    var avgCompletionRate: Double
    /// Since the first day of this month in the platform's timezone (`LYCEUM_TIMEZONE`).
    var studentsThisMonth: Int
    var revenueThisMonth: String

    enum CodingKeys: String, CodingKey {
        case managerId = "manager_id", totalStudents = "total_students", activeStudents = "active_students"
        case completedStudents = "completed_students", totalRevenue = "total_revenue", avgCompletionRate = "avg_completion_rate"
        case studentsThisMonth = "students_this_month", revenueThisMonth = "revenue_this_month"
    }
}

/// One row of the sales leaderboard (the seed's rpc_get_sales_leaderboard).
struct LeaderboardRowView: Codable, Sendable, Equatable {
    var rank: Int
    var managerId: UUID
    var totalStudents: Int
    var activeStudents: Int
    var completedStudents: Int
    var totalRevenue: String
    var avgCompletionRate: Double

    enum CodingKeys: String, CodingKey {
        case rank, managerId = "manager_id", totalStudents = "total_students", activeStudents = "active_students"
        case completedStudents = "completed_students", totalRevenue = "total_revenue", avgCompletionRate = "avg_completion_rate"
    }
}

/// One day of the sales chart (the seed's rpc_get_sales_chart_data).
struct ChartDayView: Codable, Sendable, Equatable {
    /// `YYYY-MM-DD` in the platform's timezone.
    var date: String
    var studentsCreated: Int
    var revenue: String

    enum CodingKeys: String, CodingKey {
        case date, studentsCreated = "students_created", revenue
    }
}

/// One entry of a manager's activity feed (the seed's rpc_get_manager_activity).
struct ActivityView: Codable, Sendable, Equatable {
    var id: UUID
    var actionType: String
    var targetUserId: UUID?
    var targetUserEmail: String?
    var targetUserName: String?
    var details: [String: JourneyValue]
    var createdAt: Date

    enum CodingKeys: String, CodingKey {
        case id, actionType = "action_type", targetUserId = "target_user_id", targetUserEmail = "target_user_email"
        case targetUserName = "target_user_name", details, createdAt = "created_at"
    }
}

/// A list without paging (leaderboard, chart).
struct ItemsView<Item: Codable & Sendable>: Codable, Sendable, ResponseEncodable {
    var items: [Item]
}
