import Foundation
import Logging
import PostgresNIO
import ServiceKit

/// SQL of the funnel: each lead's first time at each asked stage (from the index
/// `lead_journey_funnel` on (stage, occurred_at) INCLUDE (lead_id, lead_source), without touching the
/// table), counted per stage and joined stage to next stage per lead.
struct FunnelStore: Sendable {
    let database: PostgresClient

    init(environment: ServiceEnvironment) {
        database = environment.database
    }

    func funnel(_ query: FunnelQuery, logger: Logger) async throws -> FunnelView {
        var steps: [FunnelStep] = []
        let rows = try await database.query("""
            WITH wanted AS (
                SELECT stage, ord FROM unnest(\(query.stages)::text[]) WITH ORDINALITY AS w(stage, ord)
            ), firsts AS (
                SELECT lead_id, stage, min(occurred_at) AS at
                FROM leads.lead_journey
                WHERE stage = ANY(\(query.stages)::text[])
                  AND (\(query.source)::text IS NULL OR lead_source = \(query.source))
                  AND (\(query.from)::timestamptz IS NULL OR occurred_at >= \(query.from))
                  AND (\(query.to)::timestamptz IS NULL OR occurred_at < \(query.to))
                GROUP BY lead_id, stage
            ), reached AS (
                SELECT w.ord, w.stage, count(f.lead_id)::int AS leads
                FROM wanted w LEFT JOIN firsts f ON f.stage = w.stage
                GROUP BY w.ord, w.stage
            ), steps AS (
                SELECT w.ord, count(*)::int AS converted,
                       percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM b.at - a.at)) AS median_seconds
                FROM wanted w
                JOIN wanted n ON n.ord = w.ord + 1
                JOIN firsts a ON a.stage = w.stage
                JOIN firsts b ON b.stage = n.stage AND b.lead_id = a.lead_id AND b.at >= a.at
                GROUP BY w.ord
            )
            SELECT r.stage, r.leads, CASE WHEN r.ord < \(query.stages.count) THEN COALESCE(s.converted, 0) END, s.median_seconds
            FROM reached r LEFT JOIN steps s ON s.ord = r.ord
            ORDER BY r.ord
            """, logger: logger)
        for try await (stage, leads, converted, median) in rows.decode((String, Int, Int?, Double?).self) {
            steps.append(FunnelStep(stage: stage, leads: leads, convertedToNext: converted,
                                    conversionToNext: converted.flatMap { leads > 0 ? Double($0) / Double(leads) : nil },
                                    medianSecondsToNext: median))
        }
        return FunnelView(stages: steps, source: query.source, from: query.from, to: query.to)
    }
}
