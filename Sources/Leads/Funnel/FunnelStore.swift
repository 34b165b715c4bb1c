import Foundation
import Logging
import PostgresNIO
import ServiceKit

/// SQL of the funnel, from the roll-ups of migration 0007 (`funnel_counts`): per asked stage and
/// per pair of consecutive stages, the rows of the window's stretches (whole months from month
/// rows, the rest from day rows); a few thousand rows for a year, however many leads it holds.
struct FunnelStore: Sendable {
    let database: PostgresClient
    let timeZone: String

    init(environment: ServiceEnvironment) {
        database = environment.database
        timeZone = environment.settings.platformTimeZone
    }

    /// Rebuilds the roll-ups when the platform's timezone is not the one they were counted in; true when it did.
    func useTimeZone(logger: Logger) async throws -> Bool {
        try await database.query("SELECT leads.funnel_use_time_zone(\(timeZone))", logger: logger).decode(Bool.self).firstElement() ?? false
    }

    func funnel(_ query: FunnelQuery, logger: Logger) async throws -> FunnelView {
        let pairs = zip(query.stages, query.stages.dropFirst()).map { ($0, $1) }
        let keys = query.stages.map { ($0, "") } + pairs
        let window = FunnelWindow(from: query.from, to: query.to)
        let statement = FunnelRows(stages: keys.map(\.0), nextStages: keys.map(\.1), window: window, source: query.source ?? "")
        var totals = [Int](repeating: 0, count: keys.count)
        var medians = [Double?](repeating: nil, count: keys.count)
        for try await (key, leads, median) in try await database.execute(statement, logger: logger) where (1...keys.count).contains(key) {
            totals[key - 1] = leads
            medians[key - 1] = median
        }
        var steps: [FunnelStep] = []
        for (index, stage) in query.stages.enumerated() {
            var step = FunnelStep(stage: stage, leads: totals[index])
            if index < query.stages.count - 1 {
                let pair = query.stages.count + index
                step.convertedToNext = totals[pair]
                step.conversionToNext = totals[index] > 0 ? Double(totals[pair]) / Double(totals[index]) : nil
                step.medianSecondsToNext = totals[pair] > 0 ? medians[pair] : nil
            }
            steps.append(step)
        }
        return FunnelView(stages: steps, source: query.source, from: query.from, to: query.to)
    }
}

/// Per asked stage (next stage '') and pair, in the order given (key 1, 2, …): the leads over the
/// window's stretches, and for a pair the median of the rounded durations as `percentile_cont(0.5)`
/// gives it (the mean of the two middle values when their number is even). A few rows back
/// instead of every bucket: decoding ~400 rows per funnel cost the service more than PostgreSQL
/// spent. Prepared: the plan is made once per connection. OFFSET 0 keeps the inner query a range
/// scan of the primary key per key and stretch: flattened, the generic plan hash-joined the whole
/// table (60–90 ms instead of 2–4 at 200,000 leads).
struct FunnelRows: PostgresPreparedStatement {
    static let sql = """
        WITH buckets AS (
            SELECT k.n AS key, f.seconds, sum(f.leads) AS leads
            FROM unnest($1::text[], $2::text[]) WITH ORDINALITY AS k (stage, next_stage, n)
            CROSS JOIN unnest($3::text[], $4::date[], $5::date[]) AS w (grain, first_day, end_day)
            CROSS JOIN LATERAL (
                SELECT c.seconds, c.leads FROM leads.funnel_counts c
                WHERE c.stage = k.stage AND c.next_stage = k.next_stage AND c.source = $6
                  AND c.grain = w.grain AND c.starts_on >= w.first_day AND c.starts_on < w.end_day
                OFFSET 0) f
            GROUP BY 1, 2
            HAVING sum(f.leads) > 0
        ), running AS (
            SELECT key, seconds, sum(leads) OVER (PARTITION BY key ORDER BY seconds) AS upto, sum(leads) OVER (PARTITION BY key) AS total
            FROM buckets
        )
        SELECT key::int, max(total)::int,
               ((min(seconds) FILTER (WHERE upto > floor((total - 1) / 2.0))
                 + min(seconds) FILTER (WHERE upto > ceil((total - 1) / 2.0))) / 2.0)::float8
        FROM running GROUP BY key
        """
    static let bindingDataTypes: [PostgresDataType] = [.textArray, .textArray, .textArray, .textArray, .textArray, .text]

    let stages: [String]
    let nextStages: [String]
    let window: FunnelWindow
    let source: String

    func makeBindings() throws -> PostgresBindings {
        var bindings = PostgresBindings()
        bindings.append(stages)
        bindings.append(nextStages)
        bindings.append(window.stretches.map(\.grain))
        bindings.append(window.stretches.map(\.from))
        bindings.append(window.stretches.map(\.until))
        bindings.append(source)
        return bindings
    }

    func decodeRow(_ row: PostgresRow) throws -> (Int, Int, Double?) { try row.decode((Int, Int, Double?).self) }
}
