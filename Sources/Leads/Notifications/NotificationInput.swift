import Foundation
import ServiceKit

/// The body of `POST /v1/leads/{lead_id}/notifications`.
struct NotificationInput: Decodable, Sendable {
    var channel: String
    var template: String
    var variables: [String: String]?
    /// When to send; default now (a time in the past means now as well).
    var scheduledAt: Date?
    /// A repeat of a create with the same key returns the notification the first one made.
    var idempotencyKey: String?
    var maxAttempts: Int?

    enum CodingKeys: String, CodingKey {
        case channel, template, variables, scheduledAt = "scheduled_at", idempotencyKey = "idempotency_key", maxAttempts = "max_attempts"
    }

    static let maxVariables = 20
    static let maxValue = 500
    static let maxKey = 200

    func validated(now: Date = Date()) throws -> NotificationInput {
        var checks = FieldChecks()
        checks.check(NotificationChannel(rawValue: channel) != nil, "channel",
                     "must be one of \(NotificationChannel.allCases.map(\.rawValue).joined(separator: ", "))")
        let template = NotificationTemplates.builtIn[self.template]
        checks.check(template != nil, "template", "must be one of \(NotificationTemplates.names.joined(separator: ", "))")
        let variables = variables ?? [:]
        checks.check(variables.count <= Self.maxVariables, "variables", "must have at most \(Self.maxVariables) entries")
        for (key, value) in variables.sorted(by: { $0.key < $1.key }) {
            if key.range(of: "^[a-z][a-z0-9_]{0,31}$", options: .regularExpression) == nil {
                checks.fail("variables", "\"\(key.prefix(40))\" is not a lower-case name like course_title")
            } else if key == "link" {
                checks.fail("variables.link", "is the tracked link the service fills in")
            } else {
                checks.plainText(value, "variables.\(key)", max: Self.maxValue)
            }
        }
        for name in template?.requiredVariables ?? [] where (variables[name] ?? "").isEmpty {
            checks.fail("variables.\(name)", "template \(self.template) needs it")
        }
        if let scheduledAt {
            checks.check(scheduledAt <= now.addingTimeInterval(366 * 86_400), "scheduled_at", "must be within a year from now")
            checks.check(scheduledAt >= Date(timeIntervalSince1970: 946_684_800), "scheduled_at", "must be after 2000-01-01")
        }
        if let idempotencyKey {
            checks.check(!idempotencyKey.isEmpty, "idempotency_key", "must not be empty")
            checks.plainText(idempotencyKey, "idempotency_key", max: Self.maxKey)
        }
        if let maxAttempts { checks.check((1...20).contains(maxAttempts), "max_attempts", "must be between 1 and 20") }
        try checks.throwUnprocessableIfAny()
        return self
    }
}
