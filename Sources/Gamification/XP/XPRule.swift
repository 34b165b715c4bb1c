import Contracts
import Foundation
import Hummingbird
import ServiceKit

/// What one kind of learning event earns.
struct XPRule: ResponseEncodable, Sendable, Equatable {
    var eventType: String
    var amount: Int
    var reason: String
    var active: Bool
    var updatedAt: Date

    enum CodingKeys: String, CodingKey {
        case eventType = "event_type"
        case amount, reason, active
        case updatedAt = "updated_at"
    }

    /// The learning events gamification receives, so the only ones a rule can be about.
    static let eventTypes = [LessonCompleted.eventType, CourseCompleted.eventType, QuizPassed.eventType, AssignmentGraded.eventType]
}

/// The body of `PUT /v1/rules/{event_type}`.
struct XPRuleInput: Decodable, Sendable {
    var amount: Int
    var reason: String?
    var active: Bool?

    func validated() throws -> XPRuleInput {
        var checks = FieldChecks()
        checks.range(amount, "amount", 0...100_000)
        checks.text(reason, "reason", max: 200)
        try checks.throwIfAny()
        var input = self
        input.reason = reason?.trimmingCharacters(in: .whitespacesAndNewlines)
        return input
    }
}

/// What `POST /v1/rules/recompute` does with earlier awards that differ from the current rules.
enum RecomputePolicy: String, Codable, Sendable, CaseIterable {
    /// Learners get what they are owed and keep anything they got beyond it.
    case neverTakeAway = "never_take_away"
    /// Every award is brought to what the rules give now, up or down.
    case clawBack = "claw_back"

    /// The compensating amount for an event the rules now value at `expected` that has earned `current` so far.
    func compensation(expected: Int64, current: Int64) -> Int64 {
        switch self {
        case .neverTakeAway: max(0, expected - current)
        case .clawBack: expected - current
        }
    }
}

/// The body of `POST /v1/rules/recompute`.
struct RecomputeRequest: Decodable, Sendable {
    var policy: RecomputePolicy
    /// false (the default): a dry run that changes nothing.
    var apply: Bool?
}

/// A recompute's diff: what the current rules would change in earlier awards, per rule, with
/// the first changes in full.
struct RecomputeReport: ResponseEncodable, Sendable {
    var policy: RecomputePolicy
    var applied: Bool
    var recomputeId: UUID?
    var entries: Int
    var learners: Int
    var xpDelta: Int64
    var byRule: [RuleDelta]
    var changes: [Change]

    struct RuleDelta: Codable, Sendable, Equatable {
        var eventType: String
        var entries: Int
        var xpDelta: Int64

        enum CodingKeys: String, CodingKey {
            case eventType = "event_type"
            case entries
            case xpDelta = "xp_delta"
        }
    }

    struct Change: Codable, Sendable, Equatable {
        var eventId: UUID
        var eventType: String
        var userId: UUID
        var awarded: Int64
        var expected: Int64
        var delta: Int64

        enum CodingKeys: String, CodingKey {
            case eventId = "event_id"
            case eventType = "event_type"
            case userId = "user_id"
            case awarded, expected, delta
        }
    }

    enum CodingKeys: String, CodingKey {
        case policy, applied, entries, learners, changes
        case recomputeId = "recompute_id"
        case xpDelta = "xp_delta"
        case byRule = "by_rule"
    }

    static let changesShown = 100
}
