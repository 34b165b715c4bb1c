import Foundation
import ServiceKit

/// A price version: `POST /v1/prices`. Prices are USD per million tokens (input, cached input,
/// output) and per minute of audio, with at most 6 decimal places.
struct PriceInput: Decodable, Sendable {
    var model: String
    var effectiveFrom: Date?
    var inputPerMillion: Decimal?
    var cachedInputPerMillion: Decimal?
    var outputPerMillion: Decimal?
    var audioPerMinute: Decimal?

    enum CodingKeys: String, CodingKey {
        case model, effectiveFrom = "effective_from", inputPerMillion = "input_per_million"
        case cachedInputPerMillion = "cached_input_per_million", outputPerMillion = "output_per_million", audioPerMinute = "audio_per_minute"
    }

    func validated() throws -> PriceInput {
        var checks = FieldChecks()
        checks.check(UsageNames.isModel(model), "model", "must be a model name like gpt-4o")
        for (value, field) in [(inputPerMillion, "input_per_million"), (cachedInputPerMillion, "cached_input_per_million"),
                               (outputPerMillion, "output_per_million"), (audioPerMinute, "audio_per_minute")] {
            checks.price(value, field)
        }
        checks.check([inputPerMillion, outputPerMillion, audioPerMinute].contains { $0 != nil }, "input_per_million",
                     "a price needs at least one of input_per_million, output_per_million, audio_per_minute")
        checks.effectiveFrom(effectiveFrom)
        try checks.throwIfAny()
        return self
    }
}

/// A currency rate version: `POST /v1/rates` — units of `currency` per US dollar.
struct RateInput: Decodable, Sendable {
    var currency: String
    var rate: Decimal
    var effectiveFrom: Date?

    enum CodingKeys: String, CodingKey {
        case currency, rate, effectiveFrom = "effective_from"
    }

    func validated() throws -> RateInput {
        var checks = FieldChecks()
        checks.currency(currency)
        checks.check(rate > 0 && rate <= 1_000_000_000 && rate == rate.rounded(toPlaces: 6), "rate",
                     "must be more than 0, at most 1e9, with at most 6 decimal places")
        checks.effectiveFrom(effectiveFrom)
        try checks.throwIfAny()
        return self
    }
}

extension FieldChecks {
    /// A unit price in USD: 0…1,000,000 with at most 6 decimal places (so token costs stay exact at 12).
    mutating func price(_ value: Decimal?, _ field: String) {
        guard let value else { return }
        check(value >= 0 && value <= 1_000_000 && value == value.rounded(toPlaces: 6), field,
              "must be between 0 and 1000000 with at most 6 decimal places")
    }

    mutating func effectiveFrom(_ value: Date?) {
        guard let value else { return }
        check(value >= UsageRecordInput.earliest && value < Date(timeIntervalSince1970: 4_102_444_800), "effective_from",
              "must be between 2000 and 2100")
    }
}
