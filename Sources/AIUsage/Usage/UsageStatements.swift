import Foundation
import PostgresNIO
import ServiceKit

/// Ingest's one call as prepared statements: PostgreSQL parses and plans the outer statement once
/// per connection instead of on every call (4% of its time when agents send single records).
/// Up to `UsageStore.genericPlanRows` records go through `record_usage_generic` (plans made once
/// per session, migration 0004), larger batches through `record_usage`.
enum UsageStatements {
    static func sql(_ function: String) -> String {
        """
        SELECT request_id, record_id, outcome, day::text, price_id, cost_usd, cost_local, rate
        FROM ai_usage.\(function)($1, $2, $3, $4, $5, $6, $7, $8::numeric[], $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19)
        """
    }

    /// The types of the bindings below, in order; `audio_seconds` travels as text (exact) and is cast.
    static let types: [PostgresDataType] = [.textArray, .textArray, .textArray, .textArray, .int8Array, .int8Array, .int8Array, .textArray,
                                            .textArray, .textArray, .timestamptzArray, .boolArray,
                                            .text, .text, .timestamptz, .bool, .uuid, .uuid, .text]

    /// One call's arguments.
    struct Call: Sendable {
        var rows: [UsageRow]
        var settings: AIUsageSettings
        var now: Date
        var actor: UUID

        func bindings() -> PostgresBindings {
            var bindings = PostgresBindings(capacity: 19)
            bindings.append(rows.map(\.requestId))
            bindings.append(rows.map(\.agent))
            bindings.append(rows.map(\.model))
            bindings.append(rows.map(\.operation))
            bindings.append(rows.map(\.promptTokens))
            bindings.append(rows.map(\.cachedPromptTokens))
            bindings.append(rows.map(\.completionTokens))
            bindings.append(rows.map { "\($0.audioSeconds)" })
            bindings.append(rows.map { $0.userId?.uuidString ?? "" })
            bindings.append(rows.map { $0.threadId ?? "" })
            bindings.append(rows.map(\.occurredAt))
            bindings.append(rows.map(\.occurredAtGiven))
            bindings.append(settings.timeZone)
            bindings.append(settings.currency)
            bindings.append(now)
            bindings.append(settings.alertWebhook != nil)
            bindings.append(UUID())
            bindings.append(UUID())
            bindings.append(Outbox.userTag(actor))
            return bindings
        }
    }

    static func outcome(_ row: PostgresRow) throws -> UsageStore.Outcome {
        let (requestId, recordId, outcome, day, priceId, costUsd, costLocal, rate) = try row.decode(
            (String, UUID, String, String, UUID?, String?, String?, String?).self)
        return UsageStore.Outcome(requestId: requestId, recordId: recordId, created: outcome == "created", day: day, priced: priceId != nil,
                                  costUsd: costUsd, costLocal: costLocal, rate: rate)
    }

    /// Which of the two functions a call goes through: its prepared statement's name and text,
    /// made once (PostgresNIO reads both on every call).
    protocol Function {
        static var statementName: String { get }
        static var statement: String { get }
    }
    enum FewRecords: Function {
        static let statementName = "ai_usage.record_usage_generic"
        static let statement = UsageStatements.sql("record_usage_generic")
    }
    enum ManyRecords: Function {
        static let statementName = "ai_usage.record_usage"
        static let statement = UsageStatements.sql("record_usage")
    }

    struct Record<Through: Function>: PostgresPreparedStatement {
        static var name: String { Through.statementName }
        static var sql: String { Through.statement }
        static var bindingDataTypes: [PostgresDataType] { UsageStatements.types }
        typealias Row = UsageStore.Outcome
        var call: Call
        func makeBindings() throws -> PostgresBindings { call.bindings() }
        func decodeRow(_ row: PostgresRow) throws -> Row { try UsageStatements.outcome(row) }
    }
}
