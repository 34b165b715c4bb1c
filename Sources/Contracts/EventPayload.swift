import Foundation

/// A domain event's payload. The type name (`<source>.<entity>_<past-tense verb>`) is also the
/// ZeroMQ topic; the version changes when the payload's schema changes incompatibly.
public protocol EventPayload: Codable, Sendable, Equatable {
    static var eventType: String { get }
    static var eventVersion: Int { get }
}

extension EventPayload {
    /// The producing service: the part of the type before the first dot.
    public static var eventSource: String {
        String(eventType.prefix { $0 != "." })
    }
}
