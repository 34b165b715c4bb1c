import Contracts
import Foundation
import Hummingbird
import Synchronization

/// Encoded reports kept for `maxAge` (`AI_USAGE_REPORT_CACHE_MS`, default 1 s): a dashboard that
/// many admins keep open asks for the same windows over and over, and a report costs a few
/// milliseconds of database and encoding. Ingest does not clear it, so a report may be up to
/// `maxAge` behind the roll-ups; a recompute or a price or rate change in this process clears it
/// at once (other replicas' entries expire within `maxAge`).
final class ReportCache: Sendable {
    static let maxEntries = 2_000

    private let maxAge: Duration
    private let entries = Mutex([String: (body: ByteBuffer, storedAt: ContinuousClock.Instant)]())

    init(maxAge: Duration) {
        self.maxAge = maxAge
    }

    var enabled: Bool { maxAge > .zero }

    func response(for key: String) -> Response? {
        guard enabled else { return nil }
        let body: ByteBuffer? = entries.withLock { entries in
            guard let entry = entries[key] else { return nil }
            guard ContinuousClock.now - entry.storedAt < maxAge else {
                entries[key] = nil
                return nil
            }
            return entry.body
        }
        return body.map(Self.response)
    }

    /// Encodes `value` as the route would and keeps it under `key`.
    func respond(_ value: some Encodable, key: String) throws -> Response {
        let body = ByteBuffer(data: try LyceumJSON.encoder().encode(value))
        if enabled {
            entries.withLock { entries in
                if entries.count >= Self.maxEntries { entries.removeAll(keepingCapacity: true) }
                entries[key] = (body, .now)
            }
        }
        return Self.response(body)
    }

    func invalidate() {
        entries.withLock { $0.removeAll(keepingCapacity: true) }
    }

    private static func response(_ body: ByteBuffer) -> Response {
        Response(status: .ok, headers: [.contentType: "application/json; charset=utf-8"], body: .init(byteBuffer: body))
    }
}
