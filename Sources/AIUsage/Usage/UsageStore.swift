import Foundation
import Logging
import PostgresNIO
import ServiceKit

/// SQL of ingest and of reading records back. Ingest is one call of `ai_usage.record_usage`
/// (migration 0004) in a transaction of its own: costs, records, roll-ups, holds, events and
/// budget alerts commit together.
struct UsageStore: Sendable {
    let database: PostgresClient
    let settings: AIUsageSettings

    /// What became of one submitted record.
    struct Outcome: Sendable {
        var requestId: String
        var recordId: UUID
        var created: Bool
        var day: String
        var priced: Bool
        var costUsd: String?
        var costLocal: String?
        var rate: String?
    }

    /// Request ids recorded before with different content.
    struct Conflict: Error {
        var requestIds: [String]
    }

    func record(_ rows: [UsageRow], actor: UUID, logger: Logger) async throws -> [Outcome] {
        do {
            return try await TransactionRetry.run(attempts: 4, logger: logger) { try await recordOnce(rows, actor: actor, logger: logger) }
        } catch where PostgresErrorText.sqlState(error) == "LU409" {
            let detail = (error as? PSQLError)?.serverInfo?[.detail] ?? ""
            throw Conflict(requestIds: detail.split(separator: ",").map(String.init))
        }
    }

    /// Up to this many records a call runs on plans made once per session (see migration 0004).
    static let genericPlanRows = 64

    private func recordOnce(_ rows: [UsageRow], actor: UUID, logger: Logger) async throws -> [Outcome] {
        let now = Date()
        let query: PostgresQuery = """
            SELECT request_id, record_id, outcome, day::text, price_id, cost_usd, cost_local, rate
            FROM ai_usage.\(unescaped: rows.count <= Self.genericPlanRows ? "record_usage_generic" : "record_usage")(\(rows.map(\.requestId))::text[], \(rows.map(\.agent))::text[], \(rows.map(\.model))::text[],
                \(rows.map(\.operation))::text[], \(rows.map(\.promptTokens))::bigint[], \(rows.map(\.cachedPromptTokens))::bigint[],
                \(rows.map(\.completionTokens))::bigint[], \(rows.map { "\($0.audioSeconds)" })::numeric[],
                \(rows.map { $0.userId?.uuidString ?? "" })::text[], \(rows.map { $0.threadId ?? "" })::text[],
                \(rows.map(\.occurredAt))::timestamptz[], \(rows.map(\.occurredAtGiven))::boolean[],
                \(settings.timeZone), \(settings.currency), \(now), \(settings.alertWebhook != nil),
                \(UUID()), \(UUID()), \(Outbox.userTag(actor)))
            """
        var outcomes: [Outcome] = []
        outcomes.reserveCapacity(rows.count)
        for try await (requestId, recordId, outcome, day, priceId, costUsd, costLocal, rate) in try await database.query(query, logger: logger)
            .decode((String, UUID, String, String, UUID?, String?, String?, String?).self) {
            outcomes.append(Outcome(requestId: requestId, recordId: recordId, created: outcome == "created", day: day, priced: priceId != nil,
                                    costUsd: costUsd, costLocal: costLocal, rate: rate))
        }
        return outcomes
    }
}
