import Foundation
import Hummingbird
import ServiceKit

/// `GET /v1/funnel?stages=a,b,c&source=&from=&to=`: 1 to 10 distinct known stages in funnel order,
/// the leads' `source` (their acquisition channel, e.g. twland), and the days (in the platform's
/// timezone, `from` and `to` both included) on which leads first reached a stage.
struct FunnelQuery: Sendable {
    var stages: [String]
    var source: String?
    var from: String?
    var to: String?

    static let maxStages = 10

    init(_ query: Parameters, known: JourneyStages) throws {
        var checks = FieldChecks()
        let text = query["stages"].map(String.init) ?? ""
        stages = text.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        if stages.isEmpty {
            checks.fail("stages", "is required: stage names separated by commas, in funnel order")
        } else if stages.count > Self.maxStages {
            checks.fail("stages", "must name at most \(Self.maxStages) stages")
        } else if Set(stages).count != stages.count {
            checks.fail("stages", "must not repeat a stage")
        } else if let unknown = stages.first(where: { !known.contains($0) }) {
            checks.fail("stages", "\"\(unknown.prefix(64))\" is not one of \(known.names.joined(separator: ", "))")
        }
        source = query["source"].map(String.init)
        checks.plainText(source, "source", max: JourneyInput.maxSource)
        try checks.throwIfAny()
        from = try query.day("from")
        to = try query.day("to")
        if let from, let to, from > to { throw Problem.invalid("to", "must be on or after from") }
    }
}

/// One step of a funnel: the leads that reached the stage, and of those how many went on to the
/// next stage (at or after reaching this one), with the median time it took.
struct FunnelStep: Codable, Sendable, Equatable {
    var stage: String
    /// Distinct leads that first reached the stage on a day of the window.
    var leads: Int
    /// Leads of this step that first reached the next stage at or after this one, whenever (nil on the last step).
    var convertedToNext: Int? = nil
    /// convertedToNext / leads, 0…1 (nil on the last step or when no lead reached this stage).
    var conversionToNext: Double? = nil
    /// Median seconds from this stage to the next, over the converted leads, to two significant
    /// digits (nil when none).
    var medianSecondsToNext: Double? = nil

    enum CodingKeys: String, CodingKey {
        case stage, leads, convertedToNext = "converted_to_next", conversionToNext = "conversion_to_next"
        case medianSecondsToNext = "median_seconds_to_next"
    }
}

struct FunnelView: Codable, Sendable, ResponseEncodable {
    var stages: [FunnelStep]
    var source: String?
    var from: String?
    var to: String?
}
