import Foundation
import Logging
import PostgresNIO
import ServiceKit

/// SQL of the roll-up reports: sums of `usage_rollups` stripes, never a scan of the records.
struct ReportStore: Sendable {
    let database: PostgresClient
    let settings: AIUsageSettings

    func report(_ query: ReportQuery, logger: Logger) async throws -> ReportView {
        let sql: PostgresQuery = """
            SELECT period_start::text, agent, model, sum(requests)::bigint, sum(unpriced_requests)::bigint, sum(prompt_tokens)::bigint,
                   sum(cached_prompt_tokens)::bigint, sum(completion_tokens)::bigint, trim_scale(sum(audio_seconds))::text,
                   trim_scale(round(sum(audio_seconds) / 60, 3))::text, trim_scale(sum(cost_usd))::text, trim_scale(sum(cost_local))::text,
                   sum(unique_users)::bigint
            FROM ai_usage.usage_rollups
            WHERE period = \(query.period.rawValue)
              AND period_start BETWEEN date_trunc(\(query.period.rawValue), \(query.from)::date)::date AND \(query.to)::date
              AND \(unescaped: query.grouping.condition)
              AND (\(query.agent)::text IS NULL OR agent = \(query.agent))
              AND (\(query.model)::text IS NULL OR model = \(query.model))
            GROUP BY period_start, agent, model
            ORDER BY period_start, agent, model
            """
        var rows: [ReportRowView] = []
        for try await row in try await database.query(sql, logger: logger) {
            let (start, agent, model, requests, unpriced, prompt, cached, completion, audio, minutes, usd, local, users)
                = try row.decode((String, String, String, Int, Int, Int, Int, Int, String, String, String, String, Int).self)
            rows.append(ReportRowView(periodStart: start, agent: agent.isEmpty ? nil : agent, model: model.isEmpty ? nil : model,
                                      requests: requests, unpricedRequests: unpriced, promptTokens: prompt, cachedPromptTokens: cached,
                                      completionTokens: completion, totalTokens: prompt + completion, audioSeconds: audio,
                                      audioMinutes: minutes, costUsd: usd, costLocal: local, uniqueUsers: users))
        }
        return ReportView(period: query.period.rawValue, group: query.grouping.rawValue, from: query.from, to: query.to,
                          timeZone: settings.timeZone, currency: settings.currency, rows: rows, totals: Self.totals(rows))
    }

    static func totals(_ rows: [ReportRowView]) -> ReportView.Totals {
        return ReportView.Totals(requests: rows.reduce(0) { $0 + $1.requests }, unpricedRequests: rows.reduce(0) { $0 + $1.unpricedRequests },
                                 totalTokens: rows.reduce(0) { $0 + $1.totalTokens },
                                 audioMinutes: DecimalText.sum(rows.map(\.audioMinutes)),
                                 costUsd: DecimalText.sum(rows.map(\.costUsd)),
                                 costLocal: DecimalText.sum(rows.map(\.costLocal)))
    }
}
