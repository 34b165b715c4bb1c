import Foundation
import Hummingbird

/// A tripwire student as their manager (or an admin) reads them.
struct TripwireStudentView: Codable, Sendable, Equatable, ResponseEncodable {
    var id: UUID
    var userId: UUID
    var email: String
    var fullName: String
    var grantedBy: UUID
    var courseId: UUID
    /// Decimal string, e.g. "5000.00".
    var price: String
    /// active, inactive or completed.
    var status: String
    var completedAt: Date?
    var createdAt: Date
    var updatedAt: Date

    enum CodingKeys: String, CodingKey {
        case id, userId = "user_id", email, fullName = "full_name", grantedBy = "granted_by", courseId = "course_id", price, status
        case completedAt = "completed_at", createdAt = "created_at", updatedAt = "updated_at"
    }
}

/// What a grant did: created the student, or found the one this manager had already granted.
struct GrantResult: Codable, Sendable, ResponseEncodable {
    var created: Bool
    var student: TripwireStudentView
}
