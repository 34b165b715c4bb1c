import Foundation
import Synchronization

/// A token bucket per client: `burst` requests at once, refilled at `perMinute` a minute. In
/// memory, so each replica limits on its own (N replicas allow N times the rate).
final class RateLimiter: Sendable {
    enum Decision: Equatable {
        case allowed
        /// Whole seconds until the next request would be allowed (at least 1).
        case limited(retryAfter: Int)
    }

    private struct Bucket {
        var tokens: Double
        var updated: ContinuousClock.Instant
    }

    let perMinute: Int
    let burst: Int
    /// More clients than this and idle (full) buckets are dropped.
    let maxClients: Int
    private let buckets = Mutex<[String: Bucket]>([:])

    init(perMinute: Int, burst: Int, maxClients: Int = 100_000) {
        self.perMinute = perMinute
        self.burst = max(1, burst)
        self.maxClients = maxClients
    }

    var isEnabled: Bool { perMinute > 0 }

    func take(_ client: String, now: ContinuousClock.Instant = .now) -> Decision {
        guard isEnabled else { return .allowed }
        let perSecond = Double(perMinute) / 60
        let capacity = Double(burst)
        return buckets.withLock { buckets in
            var bucket = buckets[client] ?? Bucket(tokens: capacity, updated: now)
            let elapsed = now - bucket.updated
            let seconds = elapsed.timeInterval
            bucket.tokens = min(capacity, bucket.tokens + max(0, seconds) * perSecond)
            bucket.updated = now
            let decision: Decision
            if bucket.tokens >= 1 {
                bucket.tokens -= 1
                decision = .allowed
            } else {
                decision = .limited(retryAfter: max(1, Int(((1 - bucket.tokens) / perSecond).rounded(.up))))
            }
            buckets[client] = bucket
            if buckets.count > maxClients {
                Self.dropIdle(&buckets, now: now, perSecond: perSecond, capacity: capacity)
                // Still full (many clients refilling, e.g. rotating addresses): start over rather than
                // sweep the whole table on every request; this client keeps its bucket.
                if buckets.count > maxClients { buckets = [client: bucket] }
            }
            return decision
        }
    }

    /// Buckets that have refilled completely hold no state worth keeping.
    private static func dropIdle(_ buckets: inout [String: Bucket], now: ContinuousClock.Instant, perSecond: Double, capacity: Double) {
        let refill = Duration.seconds(capacity / perSecond)
        buckets = buckets.filter { now - $0.value.updated < refill }
    }
}
