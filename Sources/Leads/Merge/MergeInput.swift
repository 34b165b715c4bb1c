import Foundation
import Hummingbird
import ServiceKit

/// The body of `POST /v1/leads/merge`: two leads that are one person. The older survives unless
/// `survivor_id` names one of the two (the identified one, e.g. the lead a manager works with).
struct MergeInput: Decodable, Sendable {
    var leadIds: [UUID]
    var survivorId: UUID?

    enum CodingKeys: String, CodingKey {
        case leadIds = "lead_ids", survivorId = "survivor_id"
    }

    func validated() throws -> MergeInput {
        var checks = FieldChecks()
        checks.check(leadIds.count == 2, "lead_ids", "must name exactly two leads")
        checks.check(Set(leadIds).count == leadIds.count, "lead_ids", "must name two different leads")
        if let survivorId { checks.check(leadIds.contains(survivorId), "survivor_id", "must be one of lead_ids") }
        try checks.throwIfAny()
        return self
    }
}

/// What a merge did.
struct MergeResult: Codable, Sendable, ResponseEncodable {
    var mergeId: UUID
    var mergedId: UUID
    var journeyMoved: Int
    /// The survivor as it is now, with the whole journey.
    var survivor: LeadView

    enum CodingKeys: String, CodingKey {
        case mergeId = "merge_id", mergedId = "merged_id", journeyMoved = "journey_moved", survivor
    }
}
