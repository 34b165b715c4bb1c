import Foundation
import ServiceKit

/// The body of `POST /v1/lessons/{lesson_id}/assignment` (title and max_points required) and
/// `PATCH /v1/assignments/{assignment_id}` (any field; `"due_at": null` removes the due date).
struct AssignmentInput: Decodable, Sendable {
    var title: String?
    var instructions: String?
    var dueAt: Date?
    var latePolicy: LatePolicy?
    var latePenaltyPercent: Int?
    var maxPoints: Int?
    var present: Set<String> = []

    enum CodingKeys: String, CodingKey {
        case title, instructions
        case dueAt = "due_at"
        case latePolicy = "late_policy"
        case latePenaltyPercent = "late_penalty_percent"
        case maxPoints = "max_points"
    }

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        title = try container.decodeIfPresent(String.self, forKey: .title)
        instructions = try container.decodeIfPresent(String.self, forKey: .instructions)
        dueAt = try container.decodeIfPresent(Date.self, forKey: .dueAt)
        latePolicy = try container.decodeIfPresent(LatePolicy.self, forKey: .latePolicy)
        latePenaltyPercent = try container.decodeIfPresent(Int.self, forKey: .latePenaltyPercent)
        maxPoints = try container.decodeIfPresent(Int.self, forKey: .maxPoints)
        present = Set(container.allKeys.map(\.stringValue))
    }

    /// Field checks of the body alone; `merged(into:)` checks the combination.
    func validated(creating: Bool) throws -> AssignmentInput {
        var checks = FieldChecks()
        checks.text(title, "title", max: 300, required: creating || present.contains("title"))
        checks.text(instructions, "instructions", max: 50_000)
        if creating || present.contains("max_points") { checks.check(maxPoints != nil, "max_points", "is required (1–10000)") }
        checks.range(maxPoints, "max_points", 1...10_000)
        checks.range(latePenaltyPercent, "late_penalty_percent", 0...100)
        for key in ["instructions", "late_policy", "late_penalty_percent"] where present.contains(key) {
            let isNull = key == "instructions" ? instructions == nil : key == "late_policy" ? latePolicy == nil : latePenaltyPercent == nil
            checks.check(!isNull, key, "must not be null")
        }
        try checks.throwIfAny()
        var input = self
        input.title = title?.trimmingCharacters(in: .whitespacesAndNewlines)
        return input
    }

    /// The rules after applying this body to `current`; a penalty only goes with `accept_with_penalty`.
    func merged(into current: AssignmentRules) throws -> AssignmentRules {
        var rules = current
        if present.contains("due_at") { rules.dueAt = dueAt }
        if let latePolicy {
            rules.latePolicy = latePolicy
            if latePolicy != .acceptWithPenalty, latePenaltyPercent == nil { rules.latePenaltyPercent = 0 }
        }
        if let latePenaltyPercent { rules.latePenaltyPercent = latePenaltyPercent }
        if let maxPoints { rules.maxPoints = maxPoints }
        var checks = FieldChecks()
        if rules.latePolicy == .acceptWithPenalty {
            checks.check((1...100).contains(rules.latePenaltyPercent), "late_penalty_percent",
                         "accept_with_penalty needs a late_penalty_percent from 1 to 100")
        } else {
            checks.check(rules.latePenaltyPercent == 0, "late_penalty_percent", "only accept_with_penalty takes a penalty")
        }
        try checks.throwIfAny()
        return rules
    }
}

/// The body of `PUT /v1/assignments/{assignment_id}/submission`.
struct SubmissionBody: Decodable, Sendable {
    var text: String
    var attachmentUrls: [String]?

    enum CodingKeys: String, CodingKey {
        case text
        case attachmentUrls = "attachment_urls"
    }

    static let maxText = 100_000

    func validated() throws -> SubmissionBody {
        var checks = FieldChecks()
        let urls = attachmentUrls ?? []
        checks.text(text, "text", max: Self.maxText, required: urls.isEmpty)
        checks.check(urls.count <= 10, "attachment_urls", "must list at most 10 URLs")
        for (index, url) in urls.enumerated() { checks.url(url, "attachment_urls[\(index)]") }
        try checks.throwIfAny()
        return SubmissionBody(text: text, attachmentUrls: urls)
    }
}

/// The body of `POST /v1/submissions/{submission_id}/grade`.
struct GradeBody: Decodable, Sendable {
    var score: Int
    var feedback: String?

    func validated(maxPoints: Int) throws -> GradeBody {
        var checks = FieldChecks()
        checks.range(score, "score", 0...maxPoints)
        checks.text(feedback, "feedback", max: 20_000)
        try checks.throwIfAny()
        return self
    }
}
