import Foundation
import ServiceKit

/// The body of `POST /v1/tripwire/students`: a sales manager gives a person the tripwire course.
struct GrantInput: Decodable, Sendable {
    var email: String
    var fullName: String
    /// What the student paid (exact decimal, ≥ 0, at most 2 places).
    var price: Decimal
    /// The person's platform account when they already have one; else the one their email is
    /// linked to through a lead, else a new id the identity provider creates the account under.
    var userId: UUID?

    enum CodingKeys: String, CodingKey {
        case email, fullName = "full_name", price, userId = "user_id"
    }

    static let maxFullName = 200

    /// The grant, or a 422 naming every field at fault.
    func validated() throws -> Grant {
        var checks = FieldChecks()
        let email = EmailAddress.normalized(self.email)
        if email.isEmpty { checks.fail("email", "is required") } else if let problem = EmailAddress.problem(email) { checks.fail("email", problem) }
        let fullName = self.fullName.trimmingCharacters(in: .whitespacesAndNewlines)
        if fullName.isEmpty { checks.fail("full_name", "must not be empty") }
        checks.plainText(fullName, "full_name", max: Self.maxFullName)
        checks.money(price, "price")
        try checks.throwUnprocessableIfAny()
        return Grant(email: email, fullName: fullName, price: price, userId: userId)
    }
}

/// A validated grant: email normalised, name trimmed.
struct Grant: Sendable {
    var email: String
    var fullName: String
    var price: Decimal
    var userId: UUID?
}

/// The body of `PATCH /v1/tripwire/students/{id}`: a manager deactivates a student or takes them back.
struct StudentStatusInput: Decodable, Sendable {
    var status: String

    static let settable = ["active", "inactive"]

    func validated() throws -> String {
        guard Self.settable.contains(status) else {
            throw LeadProblems.unprocessable([.init(field: "status", message: "must be active or inactive (completed follows the course)")])
        }
        return status
    }
}
