import Foundation
import Hummingbird

struct PriceView: Encodable, Sendable, ResponseEncodable {
    var id: UUID
    var model: String
    var effectiveFrom: Date
    var inputPerMillion: String
    /// Null: cached prompt tokens cost the input price.
    var cachedInputPerMillion: String?
    var outputPerMillion: String
    var audioPerMinute: String
    var createdAt: Date

    enum CodingKeys: String, CodingKey {
        case id, model, effectiveFrom = "effective_from", inputPerMillion = "input_per_million"
        case cachedInputPerMillion = "cached_input_per_million", outputPerMillion = "output_per_million"
        case audioPerMinute = "audio_per_minute", createdAt = "created_at"
    }
}

struct RateView: Encodable, Sendable, ResponseEncodable {
    var currency: String
    var rate: String
    var effectiveFrom: Date
    var createdAt: Date

    enum CodingKeys: String, CodingKey {
        case currency, rate, effectiveFrom = "effective_from", createdAt = "created_at"
    }
}

/// What a recompute found (dry run) or did (apply), per model and in total.
struct RecomputeView: Encodable, Sendable, ResponseEncodable {
    struct ModelDiff: Encodable, Sendable {
        var model: String
        var records: Int
        var newlyPriced: Int
        var costUsdDelta: String
        var costLocalDelta: String

        enum CodingKeys: String, CodingKey {
            case model, records, newlyPriced = "newly_priced", costUsdDelta = "cost_usd_delta", costLocalDelta = "cost_local_delta"
        }
    }

    var applied: Bool
    /// Set when applied: the correction entries carry it.
    var recomputeId: UUID?
    var records: Int
    var newlyPriced: Int
    var costUsdDelta: String
    var costLocalDelta: String
    var currency: String
    var models: [ModelDiff]

    enum CodingKeys: String, CodingKey {
        case applied, recomputeId = "recompute_id", records, newlyPriced = "newly_priced", costUsdDelta = "cost_usd_delta"
        case costLocalDelta = "cost_local_delta", currency, models
    }
}
