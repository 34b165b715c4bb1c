import Foundation
import ServiceKit

/// One provider request's usage as a client reports it. Cached prompt tokens are part of the
/// prompt tokens (OpenAI's semantics).
struct UsageRecordInput: Decodable, Sendable, Equatable {
    var requestId: String
    var agent: String
    var model: String
    var operation: String?
    var promptTokens: Int?
    var cachedPromptTokens: Int?
    var completionTokens: Int?
    var audioSeconds: Decimal?
    var userId: UUID?
    var threadId: String?
    var occurredAt: Date?

    enum CodingKeys: String, CodingKey {
        case requestId = "request_id", agent, model, operation, promptTokens = "prompt_tokens"
        case cachedPromptTokens = "cached_prompt_tokens", completionTokens = "completion_tokens", audioSeconds = "audio_seconds"
        case userId = "user_id", threadId = "thread_id", occurredAt = "occurred_at"
    }

    static let maxTokens = 100_000_000
    static let maxAudioSeconds = Decimal(86_400)
    /// How far ahead of the server's clock an occurred_at may be (clock skew), and how far back.
    static let futureSlack: TimeInterval = 300
    static let earliest = Date(timeIntervalSince1970: 946_684_800)  // 2000-01-01

    func check(_ checks: inout FieldChecks, prefix: String, now: Date) {
        let field = { (name: String) in prefix + name }
        checks.check(UsageNames.isRequestID(requestId), field("request_id"), "must be 1 to 200 printable characters")
        checks.check(UsageNames.isAgent(agent), field("agent"), "must be a lower-case name like ai_curator (letters, digits, _ and -, at most 50)")
        checks.check(UsageNames.isModel(model), field("model"), "must be a model name like gpt-4o (letters, digits, . _ : / -, at most 100)")
        if let operation {
            checks.check(UsageNames.isAgent(operation), field("operation"), "must be a lower-case name like text_message (at most 50)")
        }
        checks.range(promptTokens, field("prompt_tokens"), 0...Self.maxTokens)
        checks.range(cachedPromptTokens, field("cached_prompt_tokens"), 0...Self.maxTokens)
        checks.range(completionTokens, field("completion_tokens"), 0...Self.maxTokens)
        if let cached = cachedPromptTokens, cached > (promptTokens ?? 0) {
            checks.fail(field("cached_prompt_tokens"), "must not exceed prompt_tokens (cached tokens are part of the prompt)")
        }
        if let audioSeconds {
            checks.check(audioSeconds >= 0 && audioSeconds <= Self.maxAudioSeconds && audioSeconds == audioSeconds.rounded(toPlaces: 3),
                         field("audio_seconds"), "must be between 0 and 86400 with at most 3 decimal places")
        }
        checks.plainText(threadId, field("thread_id"), max: 200)
        if let occurredAt {
            checks.check(occurredAt <= now.addingTimeInterval(Self.futureSlack) && occurredAt >= Self.earliest, field("occurred_at"),
                         "must not be in the future nor before 2000")
        }
    }

    /// The record with its defaults filled in: what is stored, and what two submissions of one
    /// request_id must share.
    func normalised(now: Date) -> UsageRow {
        UsageRow(requestId: requestId, agent: agent, model: model, operation: operation ?? "chat", promptTokens: promptTokens ?? 0,
                 cachedPromptTokens: cachedPromptTokens ?? 0, completionTokens: completionTokens ?? 0, audioSeconds: audioSeconds ?? 0,
                 userId: userId, threadId: threadId.flatMap { $0.isEmpty ? nil : $0 }, occurredAt: occurredAt ?? now,
                 occurredAtGiven: occurredAt != nil)
    }
}

/// A checked usage record, defaults filled in.
struct UsageRow: Sendable, Equatable {
    var requestId: String
    var agent: String
    var model: String
    var operation: String
    var promptTokens: Int
    var cachedPromptTokens: Int
    var completionTokens: Int
    var audioSeconds: Decimal
    var userId: UUID?
    var threadId: String?
    var occurredAt: Date
    /// False: the client left occurred_at out and the server's clock stands in; a resend is then
    /// not compared on it.
    var occurredAtGiven: Bool
}

/// The body of `POST /v1/usage`: one record, `{"records": [...]}` or a bare array.
struct UsageSubmission: Decodable, Sendable {
    var records: [UsageRecordInput]
    var isBatch: Bool

    static let maxBatch = 1000

    private enum Keys: String, CodingKey { case records }

    init(from decoder: any Decoder) throws {
        if var array = try? decoder.unkeyedContainer() {
            var records: [UsageRecordInput] = []
            while !array.isAtEnd { records.append(try array.decode(UsageRecordInput.self)) }
            self.records = records
            isBatch = true
        } else if let keyed = try? decoder.container(keyedBy: Keys.self), keyed.contains(.records) {
            records = try keyed.decode([UsageRecordInput].self, forKey: .records)
            isBatch = true
        } else {
            records = [try UsageRecordInput(from: decoder)]
            isBatch = false
        }
    }

    /// Checked and normalised records, in request_id order (so concurrent batches lock rows in
    /// one order), one per request_id: a request_id twice with the same content counts once.
    func validated(now: Date) throws -> [UsageRow] {
        var checks = FieldChecks()
        if isBatch {
            checks.check(!records.isEmpty, "records", "must hold at least one record")
            checks.check(records.count <= Self.maxBatch, "records", "must hold at most \(Self.maxBatch) records")
        }
        var byID: [String: (index: Int, record: UsageRow)] = [:]
        for (index, record) in records.enumerated() {
            let prefix = isBatch ? "records[\(index)]." : ""
            record.check(&checks, prefix: prefix, now: now)
            let normalised = record.normalised(now: now)
            if let earlier = byID[record.requestId] {
                if earlier.record != normalised {
                    checks.fail(prefix + "request_id", "repeats records[\(earlier.index)].request_id with different content")
                }
            } else {
                byID[record.requestId] = (index, normalised)
            }
        }
        try checks.throwIfAny()
        return byID.values.map(\.record).sorted { $0.requestId < $1.requestId }
    }
}

/// The names ingest accepts, checked without regular expressions (this runs per record).
enum UsageNames {
    static func isAgent(_ text: String) -> Bool {
        (1...50).contains(text.utf8.count) && text.utf8.allSatisfy { (97...122).contains($0) || (48...57).contains($0) || $0 == 95 || $0 == 45 }
    }

    static func isModel(_ text: String) -> Bool {
        (1...100).contains(text.utf8.count) && text.utf8.allSatisfy {
            switch $0 {
            case 97...122, 65...90, 48...57, 95, 45, 46, 58, 47: true
            default: false
            }
        }
    }

    static func isRequestID(_ text: String) -> Bool {
        guard (1...200).contains(text.unicodeScalars.count) else { return false }
        var printable = false
        for scalar in text.unicodeScalars {
            if FieldChecks.isControl(scalar) { return false }
            // Not only blanks (what trimming `.whitespaces` would leave empty: spaces and tabs).
            printable = printable || !(scalar == " " || scalar == "\t" || (!scalar.isASCII && scalar.properties.generalCategory == .spaceSeparator))
        }
        return printable
    }
}
