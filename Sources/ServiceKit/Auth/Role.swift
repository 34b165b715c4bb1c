import Foundation

/// The roles of DESIGN.md; a token carries exactly one.
public enum Role: String, Codable, Sendable, CaseIterable {
    case student
    case curator
    case salesManager = "sales_manager"
    case techSupport = "tech_support"
    case admin
    case service
}

public struct AuthenticatedUser: Sendable, Equatable {
    public let userID: UUID
    public let role: Role

    public init(userID: UUID, role: Role) {
        self.userID = userID
        self.role = role
    }

    /// Students (and other learners' roles) may read only their own data; staff roles anyone's.
    public func mayRead(userID other: UUID) -> Bool {
        other == userID || [.admin, .curator, .techSupport, .service].contains(role)
    }
}
