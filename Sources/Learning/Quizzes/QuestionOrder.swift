import Foundation
import ServiceKit

/// The body of `PUT /v1/quizzes/{quiz_id}/questions/order`: every question of the quiz once, in
/// the new order.
struct QuestionOrderInput: Decodable, Sendable {
    var questionIds: [UUID]

    enum CodingKeys: String, CodingKey {
        case questionIds = "question_ids"
    }

    func validated() throws -> [UUID] {
        var checks = FieldChecks()
        checks.check(!questionIds.isEmpty && questionIds.count <= 1000, "question_ids", "must list 1 to 1000 question ids")
        try checks.throwIfAny()
        return questionIds
    }
}

enum QuestionOrder {
    /// Why `ids` is not a permutation of `current` (repeats, questions left out, ids of other
    /// quizzes or deleted questions), or nil when it is one.
    static func mismatch(_ ids: [UUID], current: [UUID]) -> String? {
        var seen: Set<UUID> = []
        let repeated = ids.filter { !seen.insert($0).inserted }
        let own = Set(current)
        let missing = current.filter { !seen.contains($0) }
        let foreign = ids.filter { !own.contains($0) }
        var problems: [String] = []
        if !repeated.isEmpty { problems.append("repeated: \(list(repeated))") }
        if !missing.isEmpty { problems.append("missing: \(list(missing))") }
        if !foreign.isEmpty { problems.append("not questions of this quiz: \(list(foreign))") }
        guard !problems.isEmpty else { return nil }
        return "must list each of the quiz's \(current.count) questions exactly once; " + problems.joined(separator: "; ")
    }

    private static func list(_ ids: [UUID]) -> String {
        ids.map { $0.uuidString.lowercased() }.joined(separator: ", ")
    }
}

/// Which option ids survive a question's replacement: a new option with the same text as an old
/// one (each old option used once, in order) keeps its id; any other gets a new one.
enum OptionIdentity {
    static func ids(for texts: [String], keeping current: [(id: UUID, text: String)]) -> [UUID] {
        var available = current
        return texts.map { text in
            guard let index = available.firstIndex(where: { $0.text == text }) else { return UUID() }
            return available.remove(at: index).id
        }
    }
}
