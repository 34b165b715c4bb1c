import Foundation
import Hummingbird
import ServiceKit

/// Ingest (the agents' service token, or an admin) and the admin's reads of usage: records,
/// unpriced models, spend per user/thread/agent/model. Usage and cost data are admin-only.
struct UsageRoutes {
    let store: UsageStore
    let coalescer: IngestCoalescer
    let reads: UsageReadStore
    let settings: AIUsageSettings

    /// Calls of at most this many records may share a transaction with others (`IngestCoalescer`).
    static let coalescedRows = 16

    func register(on v1: RouterGroup<ServiceRequestContext>) {
        v1.post("/usage", use: ingest)
        v1.get("/usage", use: list)
        v1.get("/usage/unpriced", use: unpriced)
        v1.get("/usage/costs", use: costs)
    }

    @Sendable func ingest(_ request: Request, context: ServiceRequestContext) async throws -> EditedResponse<IngestAnswer> {
        let caller = try context.require(.service, .admin)
        let submission = try await request.decodeJSON(as: UsageSubmission.self, context: context)
        let rows = try submission.validated(now: Date())
        let outcomes: [UsageStore.Outcome]
        do {
            outcomes = rows.count <= Self.coalescedRows
                ? try await coalescer.submit(rows, actor: caller.userID, logger: context.logger)
                : try await store.record(rows, actor: caller.userID, logger: context.logger)
        } catch let conflict as UsageStore.Conflict {
            throw Self.problem(conflict, submission)
        }
        let byID = Dictionary(outcomes.map { ($0.requestId, $0) }, uniquingKeysWith: { first, _ in first })
        var seen = Set<String>()
        let views = submission.records.compactMap { record -> RecordResultView? in
            guard seen.insert(record.requestId).inserted, let outcome = byID[record.requestId] else { return nil }
            return RecordResultView(outcome, currency: settings.currency)
        }
        let created = views.filter(\.created).count
        let status: HTTPResponse.Status = created > 0 ? .created : .ok
        if submission.isBatch {
            return EditedResponse(status: status, response: .batch(BatchResultView(created: created, duplicates: views.count - created, records: views)))
        }
        guard let view = views.first else { throw Problem.internalError }
        return EditedResponse(status: status, response: .single(view))
    }

    static func problem(_ conflict: UsageStore.Conflict, _ submission: UsageSubmission) -> Problem {
        let fields = conflict.requestIds.map { id in
            let index = submission.records.firstIndex { $0.requestId == id } ?? 0
            return Problem.FieldError(field: submission.isBatch ? "records[\(index)].request_id" : "request_id",
                                      message: "\(id) was already recorded with different content")
        }
        return Problem(status: .conflict, type: "https://lyceum.dev/problems/request-id-conflict", title: "Request id already used",
                       detail: "a record with this request_id exists with different content; records are never edited: send a correction under a new request_id",
                       errors: fields)
    }

    /// Newest first; filters `agent`, `model`, `user_id`, `thread_id`, `from`, `to` (occurred_at).
    @Sendable func list(_ request: Request, context: ServiceRequestContext) async throws -> Page<UsageRecordView> {
        _ = try context.require(.admin)
        let query = request.uri.queryParameters
        let page = try PageQuery(query)
        return try await reads.list(try Self.filter(query), after: page.after, limit: page.limit, logger: context.logger)
    }

    @Sendable func unpriced(_ request: Request, context: ServiceRequestContext) async throws -> ItemsView<UnpricedModelView> {
        _ = try context.require(.admin)
        return ItemsView(items: try await reads.unpriced(logger: context.logger))
    }

    /// `by` user, thread, agent or model (default user); the same filters as the listing; `limit` 1–1000 (default 100).
    @Sendable func costs(_ request: Request, context: ServiceRequestContext) async throws -> CostsView {
        _ = try context.require(.admin)
        let query = request.uri.queryParameters
        let by = try query.choice("by", default: UsageReadStore.CostKey.user)
        let limit = try query.integer("limit", default: 100, 1...1000)
        return CostsView(items: try await reads.costs(by: by, try Self.filter(query), limit: limit,
                                                      logger: context.logger),
                         currency: settings.currency)
    }

    static func filter(_ query: Parameters) throws -> UsageReadStore.Filter {
        var checks = FieldChecks()
        let agent = query["agent"].map(String.init)
        let model = query["model"].map(String.init)
        if let agent { checks.check(UsageNames.isAgent(agent), "agent", "must be an agent name like ai_curator") }
        if let model { checks.check(UsageNames.isModel(model), "model", "must be a model name like gpt-4o") }
        try checks.throwIfAny()
        let filter = UsageReadStore.Filter(agent: agent, model: model, userId: try query.uuid("user_id"),
                                           threadId: query["thread_id"].map(String.init), from: try query.timestamp("from"),
                                           to: try query.timestamp("to"))
        if let from = filter.from, let to = filter.to, to <= from { throw Problem.invalid("to", "must be after from") }
        return filter
    }
}
