import Foundation
import Logging
import PostgresNIO
import ServiceKit

/// SQL of the roll-up reports: sums of `usage_rollups` stripes, never a scan of the records. One
/// prepared statement for every period and grouping, so a report is planned once per connection.
struct ReportStore: Sendable {
    let database: PostgresClient
    let settings: AIUsageSettings

    struct Rows: PostgresPreparedStatement {
        static let sql = """
            SELECT period_start::text, agent, model, sum(requests)::bigint, sum(unpriced_requests)::bigint, sum(prompt_tokens)::bigint,
                   sum(cached_prompt_tokens)::bigint, sum(completion_tokens)::bigint, trim_scale(sum(audio_seconds))::text,
                   trim_scale(round(sum(audio_seconds) / 60, 3))::text, trim_scale(sum(cost_usd))::text, trim_scale(sum(cost_local))::text,
                   sum(unique_users)::bigint
            FROM ai_usage.usage_rollups
            WHERE period = $1 AND period_start BETWEEN date_trunc($1, $2::text::date)::date AND $3::text::date
              AND (agent <> '') = $4 AND (model <> '') = $5
              AND ($6::text IS NULL OR agent = $6) AND ($7::text IS NULL OR model = $7)
            GROUP BY period_start, agent, model
            ORDER BY period_start, agent, model
            """
        static let bindingDataTypes: [PostgresDataType] = [.text, .text, .text, .bool, .bool, .text, .text]

        var query: ReportQuery

        func makeBindings() throws -> PostgresBindings {
            var bindings = PostgresBindings()
            bindings.append(query.period.rawValue)
            bindings.append(query.from)
            bindings.append(query.to)
            bindings.append(query.grouping.byAgent)
            bindings.append(query.grouping.byModel)
            bindings.append(query.agent)
            bindings.append(query.model)
            return bindings
        }

        func decodeRow(_ row: PostgresRow) throws -> ReportRowView {
            let (start, agent, model, requests, unpriced, prompt, cached, completion, audio, minutes, usd, local, users)
                = try row.decode((String, String, String, Int, Int, Int, Int, Int, String, String, String, String, Int).self)
            return ReportRowView(periodStart: start, agent: agent.isEmpty ? nil : agent, model: model.isEmpty ? nil : model,
                                 requests: requests, unpricedRequests: unpriced, promptTokens: prompt, cachedPromptTokens: cached,
                                 completionTokens: completion, totalTokens: prompt + completion, audioSeconds: audio,
                                 audioMinutes: minutes, costUsd: usd, costLocal: local, uniqueUsers: users)
        }
    }

    func report(_ query: ReportQuery, logger: Logger) async throws -> ReportView {
        let rows = try await database.execute(Rows(query: query), logger: logger).all()
        return ReportView(period: query.period.rawValue, group: query.grouping.rawValue, from: query.from, to: query.to,
                          timeZone: settings.timeZone, currency: settings.currency, rows: rows, totals: Self.totals(rows))
    }

    static func totals(_ rows: [ReportRowView]) -> ReportView.Totals {
        ReportView.Totals(requests: rows.reduce(0) { $0 + $1.requests }, unpricedRequests: rows.reduce(0) { $0 + $1.unpricedRequests },
                          totalTokens: rows.reduce(0) { $0 + $1.totalTokens }, audioMinutes: DecimalText.sum(rows.map(\.audioMinutes)),
                          costUsd: DecimalText.sum(rows.map(\.costUsd)), costLocal: DecimalText.sum(rows.map(\.costLocal)))
    }
}
