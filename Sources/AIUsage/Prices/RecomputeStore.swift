import Foundation
import Logging
import PostgresNIO
import ServiceKit

/// Recosting recorded usage with the price and rate books as they are now: a dry run reports
/// the difference; applying it adds one correction entry per changed record and moves the
/// roll-ups by the same amounts, in one transaction (records themselves are never edited).
/// Recomputes take turns (an advisory lock), so two applies cannot correct a record twice.
struct RecomputeStore: Sendable {
    let database: PostgresClient
    let settings: AIUsageSettings

    struct Scope: Sendable {
        var model: String?
        var from: Date?
        var to: Date?
    }

    func recompute(_ scope: Scope, apply: Bool, reason: String, by admin: UUID, logger: Logger) async throws -> RecomputeView {
        let recomputeID = UUID()
        // Each changed record: its current cost (ingested plus corrections) and the new one.
        let diff = """
            WITH current AS (
                SELECT r.id, r.agent, r.model, r.day, r.prompt_tokens, r.cached_prompt_tokens, r.completion_tokens, r.audio_seconds,
                       r.occurred_at, r.price_id IS NOT NULL OR coalesce(c.priced, false) AS was_priced,
                       coalesce(r.cost_usd, 0) + coalesce(c.usd, 0) AS usd, coalesce(r.cost_local, 0) + coalesce(c.local, 0) AS local
                FROM ai_usage.usage_records r
                LEFT JOIN LATERAL (SELECT sum(cost_usd_delta) AS usd, sum(cost_local_delta) AS local, bool_or(price_id IS NOT NULL) AS priced
                                   FROM ai_usage.usage_corrections WHERE record_id = r.id) c ON true
                WHERE ($1::text IS NULL OR r.model = $1) AND ($2::timestamptz IS NULL OR r.occurred_at >= $2)
                  AND ($3::timestamptz IS NULL OR r.occurred_at < $3)
            ), recosted AS (
                SELECT cur.*, p.id AS price_id, x.rate,
                       ai_usage.usage_cost(cur.prompt_tokens, cur.cached_prompt_tokens, cur.completion_tokens, cur.audio_seconds,
                                           p.input_per_million, p.cached_input_per_million, p.output_per_million, p.audio_per_minute) AS new_usd
                FROM current cur
                LEFT JOIN LATERAL (SELECT * FROM ai_usage.model_prices mp WHERE mp.model = cur.model AND mp.effective_from <= cur.occurred_at
                                   ORDER BY mp.effective_from DESC LIMIT 1) p ON true
                LEFT JOIN LATERAL (SELECT cr.rate FROM ai_usage.currency_rates cr WHERE cr.currency = $4 AND cr.effective_from <= cur.occurred_at
                                   ORDER BY cr.effective_from DESC LIMIT 1) x ON true
            ), diff AS (
                SELECT id, agent, model, day, was_priced, price_id, rate, new_usd - usd AS d_usd,
                       coalesce(trim_scale(new_usd * rate), local) - local AS d_local
                FROM recosted
                WHERE new_usd IS NOT NULL AND (NOT was_priced OR new_usd <> usd OR coalesce(trim_scale(new_usd * rate), local) <> local)
            )
            """
        let applyParts = """
            , corrections AS (
                INSERT INTO ai_usage.usage_corrections (record_id, recompute_id, price_id, rate, cost_usd_delta, cost_local_delta, reason, created_by)
                SELECT id, $5, price_id, rate, d_usd, d_local, $6, $7 FROM diff
                RETURNING 1
            ), keys AS (
                SELECT d.*, k.period, k.period_start, g.agent AS g_agent, g.model AS g_model
                FROM diff d
                CROSS JOIN LATERAL (VALUES ('day', d.day), ('month', date_trunc('month', d.day)::date)) AS k(period, period_start)
                CROSS JOIN LATERAL (VALUES (d.agent, d.model), (d.agent, ''), ('', d.model), ('', '')) AS g(agent, model)
            ), moved AS (
                INSERT INTO ai_usage.usage_rollups AS r (period, period_start, agent, model, stripe, unpriced_requests, cost_usd, cost_local)
                SELECT period, period_start, g_agent, g_model, (pg_backend_pid() % 32)::smallint, -count(*) FILTER (WHERE NOT was_priced),
                       sum(d_usd), sum(d_local)
                FROM keys GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4
                ON CONFLICT (period, period_start, agent, model, stripe) DO UPDATE SET
                    unpriced_requests = r.unpriced_requests + excluded.unpriced_requests,
                    cost_usd = r.cost_usd + excluded.cost_usd, cost_local = r.cost_local + excluded.cost_local
                RETURNING 1
            )
            """
        let summary = """
            SELECT model, count(*)::int, (count(*) FILTER (WHERE NOT was_priced))::int, trim_scale(sum(d_usd))::text, trim_scale(sum(d_local))::text
            FROM diff GROUP BY model ORDER BY model
            """
        var bindings = PostgresBindings()
        bindings.append(scope.model)
        bindings.append(scope.from)
        bindings.append(scope.to)
        bindings.append(settings.currency)
        if apply {
            bindings.append(recomputeID)
            bindings.append(reason)
            bindings.append(admin)
        }
        let query = PostgresQuery(unsafeSQL: diff + (apply ? applyParts : "") + summary, binds: bindings)
        let models = try await database.transaction(logger: logger) { connection in
            try await connection.query("SELECT pg_advisory_xact_lock(hashtextextended('ai_usage.recompute', 0))", logger: logger)
            var models: [RecomputeView.ModelDiff] = []
            for try await (model, records, newlyPriced, usd, local) in try await connection.query(query, logger: logger)
                .decode((String, Int, Int, String, String).self) {
                models.append(RecomputeView.ModelDiff(model: model, records: records, newlyPriced: newlyPriced, costUsdDelta: usd,
                                                      costLocalDelta: local))
            }
            return models
        }
        return RecomputeView(applied: apply, recomputeId: apply && !models.isEmpty ? recomputeID : nil, records: models.reduce(0) { $0 + $1.records },
                             newlyPriced: models.reduce(0) { $0 + $1.newlyPriced }, costUsdDelta: DecimalText.sum(models.map(\.costUsdDelta)),
                             costLocalDelta: DecimalText.sum(models.map(\.costLocalDelta)), currency: settings.currency, models: models)
    }
}
