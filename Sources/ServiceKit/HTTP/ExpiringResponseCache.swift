import Contracts
import Foundation
import Hummingbird
import Synchronization

/// Encoded JSON responses kept for `maxAge` under a key the route builds from what the answer
/// depends on: for reads that many clients repeat and that may lag the data by `maxAge` (ai-usage
/// reports, `AI_USAGE_REPORT_CACHE_MS`; gamification's top of a leaderboard,
/// `GAMIFICATION_LEADERBOARD_CACHE_MS`). A `maxAge` of zero turns it off. `invalidate` clears this
/// process's entries at once; other replicas' expire within `maxAge`.
public final class ExpiringResponseCache: Sendable {
    static let maxEntries = 2_000

    private let maxAge: Duration
    private let entries = Mutex([String: (body: ByteBuffer, storedAt: ContinuousClock.Instant)]())

    public init(maxAge: Duration) {
        self.maxAge = maxAge
    }

    public var enabled: Bool { maxAge > .zero }

    public func response(for key: String) -> Response? {
        guard enabled else { return nil }
        let body: ByteBuffer? = entries.withLock { entries in
            guard let entry = entries[key] else { return nil }
            guard ContinuousClock.now - entry.storedAt < maxAge else {
                entries[key] = nil
                return nil
            }
            return entry.body
        }
        return body.map { Response.json($0) }
    }

    /// Encodes `value` as the route would and keeps it under `key`.
    public func respond(_ value: some Encodable, key: String) throws -> Response {
        let body = ByteBuffer(data: try LyceumJSON.encoder().encode(value))
        if enabled {
            entries.withLock { entries in
                if entries.count >= Self.maxEntries { entries.removeAll(keepingCapacity: true) }
                entries[key] = (body, .now)
            }
        }
        return Response.json(body)
    }

    public func invalidate() {
        entries.withLock { $0.removeAll(keepingCapacity: true) }
    }
}
