import Contracts
import Foundation
import ServiceKit

/// The body of `POST /v1/leads/{lead_id}/journey`: a stage the lead reached.
struct JourneyInput: Decodable, Sendable {
    var stage: String
    var source: String?
    var metadata: [String: JSONValue]?
    /// When it happened, if not now (a payment reported late); not in the future.
    var occurredAt: Date?

    enum CodingKeys: String, CodingKey {
        case stage, source, metadata, occurredAt = "occurred_at"
    }

    static let maxSource = 100
    static let maxMetadataBytes = 8 * 1024

    func validated(stages: JourneyStages, now: Date = Date()) throws -> JourneyInput {
        var checks = FieldChecks()
        checks.check(stages.contains(stage), "stage", "must be one of \(stages.names.joined(separator: ", "))")
        checks.plainText(source, "source", max: Self.maxSource)
        if let metadata {
            let size = (try? LyceumJSON.encoder().encode(metadata).count) ?? Int.max
            checks.check(size <= Self.maxMetadataBytes, "metadata", "must be at most \(Self.maxMetadataBytes) bytes of JSON")
            checks.check(!JSONValue.object(metadata).containsNUL, "metadata", "must not contain the NUL character")
        }
        if let occurredAt {
            checks.check(occurredAt <= now.addingTimeInterval(60), "occurred_at", "must not be in the future")
            checks.check(occurredAt >= Date(timeIntervalSince1970: 946_684_800), "occurred_at", "must be after 2000-01-01")
        }
        try checks.throwUnprocessableIfAny()
        var input = self
        input.source = source.flatMap { $0.trimmingCharacters(in: .whitespaces).isEmpty ? nil : $0 }
        return input
    }
}
