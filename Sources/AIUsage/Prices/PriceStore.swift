import Foundation
import Logging
import PostgresNIO
import ServiceKit

/// SQL of the price book and the rate book. Versions are added, never changed: a record keeps
/// the cost of the version in force when it happened until a recompute corrects it.
struct PriceStore: Sendable {
    let database: PostgresClient

    private static let priceColumns = """
        id, model, effective_from, trim_scale(input_per_million)::text, trim_scale(cached_input_per_million)::text,
        trim_scale(output_per_million)::text, trim_scale(audio_per_minute)::text, created_at
        """

    /// Every version, per model newest first; `current` keeps only the one in force now.
    func prices(model: String?, current: Bool, logger: Logger) async throws -> [PriceView] {
        try await decodePrices(database.query("""
            SELECT \(unescaped: Self.priceColumns) FROM ai_usage.model_prices p
            WHERE (\(model)::text IS NULL OR p.model = \(model))
              AND (NOT \(current) OR p.id = (SELECT q.id FROM ai_usage.model_prices q WHERE q.model = p.model AND q.effective_from <= now()
                                              ORDER BY q.effective_from DESC LIMIT 1))
            ORDER BY p.model, p.effective_from DESC
            """, logger: logger))
    }

    func add(_ input: PriceInput, by admin: UUID, logger: Logger) async throws -> PriceView {
        do {
            let rows = try await decodePrices(database.query("""
                INSERT INTO ai_usage.model_prices (model, effective_from, input_per_million, cached_input_per_million, output_per_million,
                                                   audio_per_minute, created_by)
                VALUES (\(input.model), coalesce(\(input.effectiveFrom), now()), \(input.inputPerMillion ?? 0), \(input.cachedInputPerMillion),
                        \(input.outputPerMillion ?? 0), \(input.audioPerMinute ?? 0), \(admin))
                RETURNING \(unescaped: Self.priceColumns)
                """, logger: logger))
            guard let price = rows.first else { throw Problem.internalError }
            return price
        } catch where PostgresErrorText.sqlState(error) == "23505" {
            throw Problem(status: .conflict, type: "https://lyceum.dev/problems/price-version-exists", title: "Price version exists",
                          detail: "\(input.model) already has a price taking effect at that moment; add a version with another effective_from",
                          errors: [Problem.FieldError(field: "effective_from", message: "a version of \(input.model) starts at this moment already")])
        }
    }

    private func decodePrices(_ rows: PostgresRowSequence) async throws -> [PriceView] {
        var prices: [PriceView] = []
        for try await (id, model, from, input, cached, output, audio, created) in rows
            .decode((UUID, String, Date, String, String?, String, String, Date).self) {
            prices.append(PriceView(id: id, model: model, effectiveFrom: from, inputPerMillion: input, cachedInputPerMillion: cached,
                                    outputPerMillion: output, audioPerMinute: audio, createdAt: created))
        }
        return prices
    }

    func rates(currency: String?, logger: Logger) async throws -> [RateView] {
        try await decodeRates(database.query("""
            SELECT currency, trim_scale(rate)::text, effective_from, created_at FROM ai_usage.currency_rates
            WHERE \(currency)::text IS NULL OR currency = \(currency)
            ORDER BY currency, effective_from DESC
            """, logger: logger))
    }

    func add(_ input: RateInput, by admin: UUID, logger: Logger) async throws -> RateView {
        do {
            let rows = try await decodeRates(database.query("""
                INSERT INTO ai_usage.currency_rates (currency, effective_from, rate, created_by)
                VALUES (\(input.currency), coalesce(\(input.effectiveFrom), now()), \(input.rate), \(admin))
                RETURNING currency, trim_scale(rate)::text, effective_from, created_at
                """, logger: logger))
            guard let rate = rows.first else { throw Problem.internalError }
            return rate
        } catch where PostgresErrorText.sqlState(error) == "23505" {
            throw Problem(status: .conflict, type: "https://lyceum.dev/problems/rate-version-exists", title: "Rate version exists",
                          detail: "\(input.currency) already has a rate taking effect at that moment",
                          errors: [Problem.FieldError(field: "effective_from", message: "a rate of \(input.currency) starts at this moment already")])
        }
    }

    private func decodeRates(_ rows: PostgresRowSequence) async throws -> [RateView] {
        var rates: [RateView] = []
        for try await (currency, rate, from, created) in rows.decode((String, String, Date, Date).self) {
            rates.append(RateView(currency: currency, rate: rate, effectiveFrom: from, createdAt: created))
        }
        return rates
    }
}
