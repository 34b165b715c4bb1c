import Foundation
import Hummingbird
import ServiceKit

/// What ingest answers for one record: the same on every resend.
struct RecordResultView: Encodable, Sendable {
    var recordId: UUID
    var requestId: String
    /// False: this request_id was recorded before with the same content.
    var created: Bool
    /// The record's day in the platform time zone.
    var day: String
    var priced: Bool
    /// Decimal strings; null when unpriced (never "0").
    var costUsd: String?
    var costLocal: String?
    var currency: String
    var rate: String?

    enum CodingKeys: String, CodingKey {
        case recordId = "record_id", requestId = "request_id", created, day, priced, costUsd = "cost_usd", costLocal = "cost_local"
        case currency, rate
    }

    init(_ outcome: UsageStore.Outcome, currency: String) {
        recordId = outcome.recordId
        requestId = outcome.requestId
        created = outcome.created
        day = outcome.day
        priced = outcome.priced
        costUsd = outcome.costUsd
        costLocal = outcome.costLocal
        self.currency = currency
        rate = outcome.rate
    }
}

/// What a batch ingest answers: each record in the order submitted.
struct BatchResultView: Encodable, Sendable {
    var created: Int
    var duplicates: Int
    var records: [RecordResultView]
}

/// Ingest's answer: one record's result, or a batch's. Written with `JSONText` (a batch answers
/// up to 1,000 results, and `JSONEncoder` took a fifth of the service's CPU on them); the bytes
/// are what encoding the views would give (`IngestAnswerTests` compares the two).
enum IngestAnswer: Encodable, Sendable, HandWrittenAnswer {
    case single(RecordResultView)
    case batch(BatchResultView)

    func encode(to encoder: any Encoder) throws {
        switch self {
        case .single(let view): try view.encode(to: encoder)
        case .batch(let view): try view.encode(to: encoder)
        }
    }

    var json: JSONText {
        switch self {
        case .single(let view):
            var json = JSONText(capacity: 320)
            view.write(to: &json)
            return json
        case .batch(let batch):
            var json = JSONText(capacity: 64 + 300 * batch.records.count)
            json.beginObject()
            json.member("created", batch.created)
            json.member("duplicates", batch.duplicates)
            json.key("records")
            json.beginArray()
            for view in batch.records { view.write(to: &json) }
            json.endArray()
            json.endObject()
            return json
        }
    }
}

extension RecordResultView {
    /// The members in `LyceumJSON`'s sorted order.
    func write(to json: inout JSONText) {
        json.beginObject()
        json.member("cost_local", costLocal)
        json.member("cost_usd", costUsd)
        json.member("created", created)
        json.member("currency", currency)
        json.member("day", day)
        json.member("priced", priced)
        json.member("rate", rate)
        json.member("record_id", recordId)
        json.member("request_id", requestId)
        json.endObject()
    }
}

/// A stored usage record, with the corrections recomputes added to its cost.
struct UsageRecordView: Encodable, Sendable {
    var id: UUID
    var requestId: String
    var agent: String
    var model: String
    var operation: String
    var promptTokens: Int
    var cachedPromptTokens: Int
    var completionTokens: Int
    var totalTokens: Int
    var audioSeconds: String
    var userId: UUID?
    var threadId: String?
    var occurredAt: Date
    var recordedAt: Date
    var day: String
    var priced: Bool
    /// As ingested (null: unpriced then).
    var costUsd: String?
    var costLocal: String?
    var currency: String?
    var rate: String?
    /// Ingested cost plus corrections; equal to cost_usd when there are none.
    var currentCostUsd: String?
    var currentCostLocal: String?
    var corrections: Int

    enum CodingKeys: String, CodingKey {
        case id, requestId = "request_id", agent, model, operation, promptTokens = "prompt_tokens"
        case cachedPromptTokens = "cached_prompt_tokens", completionTokens = "completion_tokens", totalTokens = "total_tokens"
        case audioSeconds = "audio_seconds", userId = "user_id", threadId = "thread_id", occurredAt = "occurred_at"
        case recordedAt = "recorded_at", day, priced, costUsd = "cost_usd", costLocal = "cost_local", currency, rate
        case currentCostUsd = "current_cost_usd", currentCostLocal = "current_cost_local", corrections
    }
}

/// Models with unpriced records (no price in force when they happened, not yet recomputed).
struct UnpricedModelView: Encodable, Sendable {
    var model: String
    var records: Int
    var promptTokens: Int
    var completionTokens: Int
    var audioSeconds: String
    var firstOccurredAt: Date
    var lastOccurredAt: Date

    enum CodingKeys: String, CodingKey {
        case model, records, promptTokens = "prompt_tokens", completionTokens = "completion_tokens", audioSeconds = "audio_seconds"
        case firstOccurredAt = "first_occurred_at", lastOccurredAt = "last_occurred_at"
    }
}

/// Spend of one user, thread or agent over a time range.
struct CostRowView: Encodable, Sendable {
    var key: String
    var requests: Int
    var totalTokens: Int
    var audioSeconds: String
    var costUsd: String
    var costLocal: String
    var unpricedRequests: Int

    enum CodingKeys: String, CodingKey {
        case key, requests, totalTokens = "total_tokens", audioSeconds = "audio_seconds", costUsd = "cost_usd", costLocal = "cost_local"
        case unpricedRequests = "unpriced_requests"
    }
}

/// Spend rows and the local currency of their `cost_local`.
struct CostsView: Encodable, Sendable, ResponseEncodable {
    var items: [CostRowView]
    var currency: String
}
