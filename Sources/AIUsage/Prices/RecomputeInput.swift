import Foundation
import ServiceKit

/// `POST /v1/usage/recompute`: `apply` false (default) is a dry run; `apply` true needs a
/// `reason`, which every correction entry keeps. `model`, `from`, `to` narrow it.
struct RecomputeInput: Decodable, Sendable {
    var apply: Bool?
    var reason: String?
    var model: String?
    var from: Date?
    var to: Date?

    func validated() throws -> RecomputeInput {
        var checks = FieldChecks()
        if let model { checks.check(UsageNames.isModel(model), "model", "must be a model name like gpt-4o") }
        checks.plainText(reason, "reason", max: 500)
        if apply == true {
            checks.check(!(reason ?? "").trimmingCharacters(in: .whitespaces).isEmpty, "reason", "is required to apply a recompute")
        }
        if let from, let to { checks.check(from < to, "to", "must be after from") }
        try checks.throwIfAny()
        return self
    }
}
