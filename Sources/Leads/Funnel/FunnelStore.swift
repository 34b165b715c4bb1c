import Foundation
import Logging
import PostgresNIO
import ServiceKit

/// SQL of the funnel, from the roll-ups of migration 0007 (`funnel_counts`): per asked stage and
/// per pair of consecutive stages, the rows of the window's stretches (whole months from month
/// rows, the rest from day rows) summed per duration bucket; a few thousand rows for a year,
/// however many leads it holds.
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
        var histograms: [String: [String: FunnelHistogram]] = [:]
        let rows = try await database.query("""
            SELECT k.stage, k.next_stage, f.seconds, sum(f.leads)::int
            FROM unnest(\(keys.map(\.0))::text[], \(keys.map(\.1))::text[]) AS k (stage, next_stage)
            CROSS JOIN unnest(\(window.stretches.map(\.grain))::text[], \(window.stretches.map(\.from))::date[],
                              \(window.stretches.map(\.until))::date[]) AS w (grain, first_day, end_day)
            JOIN leads.funnel_counts f ON f.stage = k.stage AND f.next_stage = k.next_stage AND f.source = \(query.source ?? "")
                 AND f.grain = w.grain AND f.starts_on >= w.first_day AND f.starts_on < w.end_day
            GROUP BY 1, 2, 3
            """, logger: logger)
        for try await (stage, next, seconds, leads) in rows.decode((String, String, Int64, Int).self) {
            histograms[stage, default: [:]][next, default: FunnelHistogram()].add(seconds: seconds, leads: leads)
        }
        var steps: [FunnelStep] = []
        for (index, stage) in query.stages.enumerated() {
            let leads = histograms[stage]?[""]?.total ?? 0
            var step = FunnelStep(stage: stage, leads: leads)
            if index < query.stages.count - 1 {
                let conversions = histograms[stage]?[query.stages[index + 1]] ?? FunnelHistogram()
                step.convertedToNext = conversions.total
                step.conversionToNext = leads > 0 ? Double(conversions.total) / Double(leads) : nil
                step.medianSecondsToNext = conversions.median
            }
            steps.append(step)
        }
        return FunnelView(stages: steps, source: query.source, from: query.from, to: query.to)
    }
}
