import Foundation
import ServiceKit
import Hummingbird

/// What a manager's students add up to: counts by status, revenue, and completed students per
/// 100 granted (0–100, two decimals; 0 without students). Money as decimal strings.
struct SalesFigures: Codable, Sendable, Equatable {
    var totalStudents: Int
    var activeStudents: Int
    var completedStudents: Int
    var totalRevenue: String
    var avgCompletionRate: Double

    enum CodingKeys: String, CodingKey {
        case totalStudents = "total_students", activeStudents = "active_students", completedStudents = "completed_students"
        case totalRevenue = "total_revenue", avgCompletionRate = "avg_completion_rate"
    }
}

/// A manager's figures (the seed's rpc_get_manager_stats): `SalesFigures`' fields, the manager's
/// id, and this month's (since its first day in the platform's timezone, `LYCEUM_TIMEZONE`).
struct ManagerStatsView: Encodable, Sendable, Equatable, ResponseEncodable {
    var managerId: UUID
    var figures: SalesFigures
    var studentsThisMonth: Int
    var revenueThisMonth: String

    enum CodingKeys: String, CodingKey {
        case managerId = "manager_id", studentsThisMonth = "students_this_month", revenueThisMonth = "revenue_this_month"
    }

    func encode(to encoder: any Encoder) throws {
        try figures.encode(to: encoder)
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(managerId, forKey: .managerId)
        try container.encode(studentsThisMonth, forKey: .studentsThisMonth)
        try container.encode(revenueThisMonth, forKey: .revenueThisMonth)
    }
}

/// One row of the sales leaderboard (the seed's rpc_get_sales_leaderboard): `SalesFigures`'
/// fields with the rank and the manager's id.
struct LeaderboardRowView: Encodable, Sendable, Equatable {
    var rank: Int
    var managerId: UUID
    var figures: SalesFigures

    enum CodingKeys: String, CodingKey {
        case rank, managerId = "manager_id"
    }

    func encode(to encoder: any Encoder) throws {
        try figures.encode(to: encoder)
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(rank, forKey: .rank)
        try container.encode(managerId, forKey: .managerId)
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
    var details: [String: JSONValue]
    var createdAt: Date

    enum CodingKeys: String, CodingKey {
        case id, actionType = "action_type", targetUserId = "target_user_id", targetUserEmail = "target_user_email"
        case targetUserName = "target_user_name", details, createdAt = "created_at"
    }
}
