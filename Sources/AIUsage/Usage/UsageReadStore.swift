import Foundation
import Logging
import PostgresNIO
import ServiceKit

/// SQL that reads records back: the record listing, the unpriced report and spend per user,
/// thread, agent or model. A record's current cost is its ingested cost plus its corrections.
struct UsageReadStore: Sendable {
    let database: PostgresClient

    struct Filter: Sendable {
        var agent: String?
        var model: String?
        var userId: UUID?
        var threadId: String?
        var from: Date?
        var to: Date?
    }

    func list(_ filter: Filter, after: PageCursor?, limit: Int, logger: Logger) async throws -> Page<UsageRecordView> {
        let query: PostgresQuery = """
            SELECT r.id, r.request_id, r.agent, r.model, r.operation, r.prompt_tokens, r.cached_prompt_tokens, r.completion_tokens,
                   trim_scale(r.audio_seconds)::text, r.user_id, r.thread_id, r.occurred_at, r.recorded_at, r.day::text,
                   r.price_id IS NOT NULL OR coalesce(c.priced, false), r.cost_usd::text, r.cost_local::text, r.currency,
                   trim_scale(r.rate)::text,
                   CASE WHEN r.price_id IS NOT NULL OR coalesce(c.priced, false)
                        THEN trim_scale(coalesce(r.cost_usd, 0) + coalesce(c.usd, 0))::text END,
                   CASE WHEN r.price_id IS NOT NULL OR coalesce(c.priced, false)
                        THEN trim_scale(coalesce(r.cost_local, 0) + coalesce(c.local, 0))::text END,
                   coalesce(c.n, 0)
            FROM ai_usage.usage_records r
            LEFT JOIN LATERAL (SELECT count(*)::int AS n, sum(cost_usd_delta) AS usd, sum(cost_local_delta) AS local,
                                      bool_or(price_id IS NOT NULL) AS priced
                               FROM ai_usage.usage_corrections WHERE record_id = r.id) c ON true
            WHERE (\(filter.agent)::text IS NULL OR r.agent = \(filter.agent))
              AND (\(filter.model)::text IS NULL OR r.model = \(filter.model))
              AND (\(filter.userId)::uuid IS NULL OR r.user_id = \(filter.userId))
              AND (\(filter.threadId)::text IS NULL OR r.thread_id = \(filter.threadId))
              AND (\(filter.from)::timestamptz IS NULL OR r.occurred_at >= \(filter.from))
              AND (\(filter.to)::timestamptz IS NULL OR r.occurred_at < \(filter.to))
              AND (\(after?.micros)::bigint IS NULL
                   OR (r.occurred_at, r.id) < (\(instant: after?.micros), \(after?.id)))
            ORDER BY r.occurred_at DESC, r.id DESC
            LIMIT \(limit + 1)
            """
        var rows: [UsageRecordView] = []
        for try await row in try await database.query(query, logger: logger) {
            let (id, requestId, agent, model, operation, prompt, cached, completion, audio, userId, threadId, occurredAt, recordedAt, day)
                = try row.decode((UUID, String, String, String, String, Int, Int, Int, String, UUID?, String?, Date, Date, String).self)
            let columns = row.makeRandomAccess()
            rows.append(UsageRecordView(
                id: id, requestId: requestId, agent: agent, model: model, operation: operation, promptTokens: prompt, cachedPromptTokens: cached,
                completionTokens: completion, totalTokens: prompt + completion, audioSeconds: audio, userId: userId, threadId: threadId,
                occurredAt: occurredAt, recordedAt: recordedAt, day: day, priced: try columns[14].decode(Bool.self),
                costUsd: try columns[15].decode(String?.self), costLocal: try columns[16].decode(String?.self),
                currency: try columns[17].decode(String?.self), rate: try columns[18].decode(String?.self),
                currentCostUsd: try columns[19].decode(String?.self), currentCostLocal: try columns[20].decode(String?.self),
                corrections: try columns[21].decode(Int.self)))
        }
        return Page(rows: rows, limit: limit) { PageCursor(at: $0.occurredAt, id: $0.id) }
    }

    /// Models whose records are still unpriced, most records first.
    func unpriced(logger: Logger) async throws -> [UnpricedModelView] {
        var items: [UnpricedModelView] = []
        for try await (model, records, prompt, completion, audio, first, last) in try await database.query("""
            SELECT r.model, count(*)::int, sum(r.prompt_tokens)::bigint, sum(r.completion_tokens)::bigint, trim_scale(sum(r.audio_seconds))::text,
                   min(r.occurred_at), max(r.occurred_at)
            FROM ai_usage.usage_records r
            WHERE r.cost_usd IS NULL
              AND NOT EXISTS (SELECT 1 FROM ai_usage.usage_corrections c WHERE c.record_id = r.id AND c.price_id IS NOT NULL)
            GROUP BY r.model ORDER BY count(*) DESC, r.model
            """, logger: logger).decode((String, Int, Int, Int, String, Date, Date).self) {
            items.append(UnpricedModelView(model: model, records: records, promptTokens: prompt, completionTokens: completion,
                                           audioSeconds: audio, firstOccurredAt: first, lastOccurredAt: last))
        }
        return items
    }

    enum CostKey: String, CaseIterable, Sendable {
        case user, thread, agent, model

        var column: String {
            switch self {
            case .user: "r.user_id::text"
            case .thread: "r.thread_id"
            case .agent: "r.agent"
            case .model: "r.model"
            }
        }
    }

    /// Spend per user, thread, agent or model over [from, to), the biggest first; records without
    /// that key (no user, no thread) are left out.
    func costs(by key: CostKey, _ filter: Filter, limit: Int, logger: Logger) async throws -> [CostRowView] {
        let query: PostgresQuery = """
            SELECT \(unescaped: key.column), count(*)::int, sum(r.prompt_tokens + r.completion_tokens)::bigint,
                   trim_scale(sum(r.audio_seconds))::text,
                   trim_scale(coalesce(sum(r.cost_usd), 0) + coalesce(sum(c.usd), 0))::text,
                   trim_scale(coalesce(sum(r.cost_local), 0) + coalesce(sum(c.local), 0))::text,
                   (count(*) FILTER (WHERE r.cost_usd IS NULL AND NOT coalesce(c.priced, false)))::int
            FROM ai_usage.usage_records r
            LEFT JOIN LATERAL (SELECT sum(cost_usd_delta) AS usd, sum(cost_local_delta) AS local, bool_or(price_id IS NOT NULL) AS priced
                               FROM ai_usage.usage_corrections WHERE record_id = r.id) c ON true
            WHERE \(unescaped: key.column) IS NOT NULL
              AND (\(filter.agent)::text IS NULL OR r.agent = \(filter.agent))
              AND (\(filter.model)::text IS NULL OR r.model = \(filter.model))
              AND (\(filter.userId)::uuid IS NULL OR r.user_id = \(filter.userId))
              AND (\(filter.threadId)::text IS NULL OR r.thread_id = \(filter.threadId))
              AND (\(filter.from)::timestamptz IS NULL OR r.occurred_at >= \(filter.from))
              AND (\(filter.to)::timestamptz IS NULL OR r.occurred_at < \(filter.to))
            GROUP BY 1
            ORDER BY coalesce(sum(r.cost_local), 0) + coalesce(sum(c.local), 0) DESC, 1
            LIMIT \(limit)
            """
        var items: [CostRowView] = []
        for try await (key, requests, tokens, audio, usd, local, unpriced) in try await database.query(query, logger: logger)
            .decode((String, Int, Int, String, String, String, Int).self) {
            items.append(CostRowView(key: key, requests: requests, totalTokens: tokens, audioSeconds: audio, costUsd: usd, costLocal: local,
                                     unpricedRequests: unpriced))
        }
        return items
    }
}
