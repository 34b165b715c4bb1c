import Foundation

/// Sent every second on `<source>._heartbeat` with the producer's latest sequence, so a consumer
/// notices a lost final event as well as a gap.
public struct Heartbeat: Codable, Sendable, Equatable {
    public var source: String
    public var sequence: Int64
    public var sentAt: Date

    public init(source: String, sequence: Int64, sentAt: Date) {
        self.source = source
        self.sequence = sequence
        self.sentAt = sentAt
    }

    enum CodingKeys: String, CodingKey {
        case source, sequence
        case sentAt = "sent_at"
    }
}

/// A consumer's request to a producer's replay endpoint: events with sequence > `after`.
public struct ReplayRequest: Codable, Sendable, Equatable {
    public var source: String
    public var after: Int64
    public var limit: Int

    public init(source: String, after: Int64, limit: Int) {
        self.source = source
        self.after = after
        self.limit = limit
    }
}

/// The first frame of a replay reply; one envelope per following frame, in sequence order.
public struct ReplayBatch: Codable, Sendable, Equatable {
    public var source: String
    public var latestSequence: Int64
    public var count: Int
    public var error: String?
    /// The last sequence the producer's retention job deleted; a request from before it is refused.
    public var prunedThrough: Int64?

    public init(source: String, latestSequence: Int64, count: Int, error: String? = nil, prunedThrough: Int64? = nil) {
        self.source = source
        self.latestSequence = latestSequence
        self.count = count
        self.error = error
        self.prunedThrough = prunedThrough
    }

    enum CodingKeys: String, CodingKey {
        case source, count, error
        case latestSequence = "latest_sequence"
        case prunedThrough = "pruned_through"
    }
}
