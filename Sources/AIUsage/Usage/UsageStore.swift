import Foundation
import Logging
import PostgresNIO
import ServiceKit

/// Ingest: one call of `ai_usage.record_usage` (migration 0004; the statements are in
/// `UsageStatements`) in a transaction of its own: costs, records, roll-ups, holds, events and
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
        let call = UsageStatements.Call(rows: rows, settings: settings, now: Date(), actor: actor)
        return rows.count <= Self.genericPlanRows
            ? try await database.execute(UsageStatements.Record<UsageStatements.FewRecords>(call: call), logger: logger).all()
            : try await database.execute(UsageStatements.Record<UsageStatements.ManyRecords>(call: call), logger: logger).all()
    }
}
