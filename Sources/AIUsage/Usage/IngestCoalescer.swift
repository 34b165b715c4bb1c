import Foundation
import Logging
import ServiceKit

/// Gathers small ingest calls that arrive together into one `record_usage` call. A call costs
/// about the same for one record as for a dozen (planning aside, most of it is per statement),
/// so under load 32 agents each sending one record share a few transactions instead of queueing
/// for 32. Each record still commits with its roll-ups and events in one transaction, and each
/// caller gets exactly its own records' outcomes.
///
/// Calls of one actor (the `usage_recorded` event names it) are merged while a call is in
/// flight, up to `maxRows`, never two with the same request_id in one merge. A merge that meets
/// a request_id conflict is undone as a whole, so its callers are retried one by one: only the
/// caller at fault gets the 409.
actor IngestCoalescer {
    typealias Record = @Sendable ([UsageRow], UUID, Logger) async throws -> [UsageStore.Outcome]

    private struct Waiting {
        var rows: [UsageRow]
        var actor: UUID
        var continuation: CheckedContinuation<[UsageStore.Outcome], any Error>
    }

    private let record: Record
    private let maxRows: Int
    private let maxInFlight: Int
    private var waiting: [Waiting] = []
    private var inFlight = 0

    init(maxRows: Int = 256, maxInFlight: Int = 2, record: @escaping Record) {
        self.maxRows = maxRows
        self.maxInFlight = maxInFlight
        self.record = record
    }

    func submit(_ rows: [UsageRow], actor: UUID, logger: Logger) async throws -> [UsageStore.Outcome] {
        try await withCheckedThrowingContinuation { continuation in
            waiting.append(Waiting(rows: rows, actor: actor, continuation: continuation))
            startIfIdle(logger: logger)
        }
    }

    private func startIfIdle(logger: Logger) {
        guard inFlight < maxInFlight, !waiting.isEmpty else { return }
        inFlight += 1
        let merge = takeMerge()
        Task { await self.run(merge, logger: logger) }
    }

    /// The first waiting call and every later one of the same actor that fits.
    private func takeMerge() -> [Waiting] {
        let actor = waiting[0].actor
        var merge: [Waiting] = []
        var ids = Set<String>()
        var rows = 0
        var kept: [Waiting] = []
        for item in waiting {
            let fits = item.actor == actor && (merge.isEmpty || rows + item.rows.count <= maxRows)
                && item.rows.allSatisfy { !ids.contains($0.requestId) }
            if fits {
                merge.append(item)
                rows += item.rows.count
                ids.formUnion(item.rows.map(\.requestId))
            } else {
                kept.append(item)
            }
        }
        waiting = kept
        return merge
    }

    private func run(_ merge: [Waiting], logger: Logger) async {
        if merge.count == 1 {
            await settle(merge[0], logger: logger)
        } else {
            do {
                let rows = merge.flatMap(\.rows).sorted { $0.requestId < $1.requestId }
                let outcomes = Dictionary(try await call(rows, merge[0].actor, logger).map { ($0.requestId, $0) }) { first, _ in first }
                for item in merge { item.continuation.resume(returning: item.rows.compactMap { outcomes[$0.requestId] }) }
            } catch is UsageStore.Conflict {
                for item in merge { await settle(item, logger: logger) }
            } catch {
                for item in merge { item.continuation.resume(throwing: error) }
            }
        }
        inFlight -= 1
        startIfIdle(logger: logger)
    }

    private func call(_ rows: [UsageRow], _ actor: UUID, _ logger: Logger) async throws -> [UsageStore.Outcome] {
        let record = record
        return try await DatabaseDeadline.run { try await record(rows, actor, logger) }
    }

    private func settle(_ item: Waiting, logger: Logger) async {
        do {
            item.continuation.resume(returning: try await call(item.rows, item.actor, logger))
        } catch {
            item.continuation.resume(throwing: error)
        }
    }
}
