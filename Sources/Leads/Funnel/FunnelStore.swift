import Foundation
import Logging
import PostgresNIO
import ServiceKit

/// SQL of the funnel, in one pass: the index `lead_journey_funnel` on (stage, occurred_at)
/// INCLUDE (lead_id, lead_source) yields the window's entries of the asked stages without touching
/// the table; one hash aggregate per lead takes its first time at each stage (one column per
/// stage), and one aggregate over those counts each stage, the leads that reached the next stage
/// at or after it, and the median time between the two.
struct FunnelStore: Sendable {
    let database: PostgresClient

    init(environment: ServiceEnvironment) {
        database = environment.database
    }

    func funnel(_ query: FunnelQuery, logger: Logger) async throws -> FunnelView {
        let count = query.stages.count
        var bindings = PostgresBindings()
        for stage in query.stages { bindings.append(stage) }
        bindings.append(query.stages)
        bindings.append(query.source)
        bindings.append(query.from)
        bindings.append(query.to)
        // Only the number of stages (1…10) shapes the text; every value is a bind.
        let firsts = (1...count).map { "min(occurred_at) FILTER (WHERE stage = $\($0)) AS t\($0)" }.joined(separator: ", ")
        let measures = (1...count).map { k in
            k == count ? "count(t\(k))::int" : """
                count(t\(k))::int, count(*) FILTER (WHERE t\(k + 1) >= t\(k))::int,
                percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM t\(k + 1) - t\(k))) FILTER (WHERE t\(k + 1) >= t\(k))
                """
        }.joined(separator: ", ")
        let sql = """
            WITH per_lead AS (
                SELECT \(firsts)
                FROM leads.lead_journey
                WHERE stage = ANY($\(count + 1)::text[])
                  AND ($\(count + 2)::text IS NULL OR lead_source = $\(count + 2))
                  AND ($\(count + 3)::timestamptz IS NULL OR occurred_at >= $\(count + 3))
                  AND ($\(count + 4)::timestamptz IS NULL OR occurred_at < $\(count + 4))
                GROUP BY lead_id
            )
            SELECT \(measures) FROM per_lead
            """
        var steps: [FunnelStep] = []
        for try await row in try await database.query(PostgresQuery(unsafeSQL: sql, binds: bindings), logger: logger) {
            let cells = row.makeRandomAccess()
            var column = 0
            for (index, stage) in query.stages.enumerated() {
                let leads = try cells[column].decode(Int.self)
                var step = FunnelStep(stage: stage, leads: leads)
                if index < count - 1 {
                    let converted = try cells[column + 1].decode(Int.self)
                    step.convertedToNext = converted
                    step.conversionToNext = leads > 0 ? Double(converted) / Double(leads) : nil
                    step.medianSecondsToNext = try cells[column + 2].decode(Double?.self)
                    column += 3
                }
                steps.append(step)
            }
        }
        return FunnelView(stages: steps, source: query.source, from: query.from, to: query.to)
    }
}
