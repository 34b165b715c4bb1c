import Foundation

/// What happens to work handed in after the due date.
enum LatePolicy: String, Codable, Sendable, CaseIterable {
    /// Accepted and flagged late; graded as usual.
    case accept
    /// Accepted and flagged late; the grade loses `late_penalty_percent` percent.
    case acceptWithPenalty = "accept_with_penalty"
    /// Refused once the due date has passed.
    case reject
}

/// An assignment's grading rules: when work is late and what a late grade is worth.
struct AssignmentRules: Sendable, Equatable {
    var dueAt: Date?
    var latePolicy: LatePolicy
    var latePenaltyPercent: Int
    var maxPoints: Int

    func isLate(_ submittedAt: Date) -> Bool {
        guard let dueAt else { return false }
        return submittedAt > dueAt
    }

    /// The final score (two decimals) and the penalty applied to a raw score of 0…maxPoints.
    func finalScore(raw: Int, late: Bool) -> (score: Double, penaltyPercent: Int) {
        let penalty = late && latePolicy == .acceptWithPenalty ? latePenaltyPercent : 0
        let score = (Double(raw) * Double(100 - penalty)).rounded() / 100
        return (score, penalty)
    }
}
