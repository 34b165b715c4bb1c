import Contracts
import Foundation
import Hummingbird
import Logging
import PostgresNIO
import ServiceKit
import Synchronization

/// The public catalog's responses, encoded once and served from memory until the catalog
/// changes. Every catalog write clears this process's cache at once and NOTIFYs
/// `learning_catalog`, which clears every replica's; while the LISTEN session is down nothing is
/// cached (a change could go unnoticed), and no entry lives longer than `maxAge` in any case.
final class CatalogCache: Sendable {
    static let channel = "learning_catalog"
    static let maxEntries = 20_000
    static let maxAge: Duration = .seconds(30)

    private struct State {
        var trusted = false
        var entries: [String: (body: ByteBuffer, storedAt: ContinuousClock.Instant)] = [:]
    }

    private let state = Mutex(State())
    /// Rebuilt after every change the cache hears of (the index checks its version itself).
    private let searchIndex: SearchIndex?

    init(searchIndex: SearchIndex? = nil) {
        self.searchIndex = searchIndex
    }

    func response(for key: String) -> Response? {
        let body: ByteBuffer? = state.withLock { state in
            guard let entry = state.entries[key] else { return nil }
            guard ContinuousClock.now - entry.storedAt < Self.maxAge else {
                state.entries[key] = nil
                return nil
            }
            return entry.body
        }
        return body.map { Response.json($0) }
    }

    /// Encodes `value` as the route would; keeps it under `key` when the cache is trusted.
    func respond(_ value: some Encodable, key: String?) throws -> Response {
        let body = ByteBuffer(data: try LyceumJSON.encoder().encode(value))
        if let key {
            state.withLock { state in
                guard state.trusted else { return }
                if state.entries.count >= Self.maxEntries { state.entries.removeAll(keepingCapacity: true) }
                state.entries[key] = (body, .now)
            }
        }
        return Response.json(body)
    }

    func invalidate() {
        state.withLock { $0.entries.removeAll(keepingCapacity: true) }
        searchIndex?.rebuild()
    }

    func setTrusted(_ trusted: Bool) {
        state.withLock { state in
            state.trusted = trusted
            state.entries.removeAll(keepingCapacity: true)
        }
    }

    /// After a catalog write committed: clear here, tell the replicas.
    func changed(_ database: PostgresClient, logger: Logger) async {
        invalidate()
        do {
            try await database.query("SELECT pg_notify(\(Self.channel), '')", logger: logger)
        } catch {
            logger.warning("could not notify replicas of a catalog change; their caches expire within \(Self.maxAge)",
                           metadata: ["error": "\(PostgresErrorText.describe(error))"])
        }
    }

    /// Keeps this cache in step with other replicas' writes.
    func listener(_ environment: ServiceEnvironment) -> NotificationListener {
        NotificationListener(channel: Self.channel, client: environment.database, logger: environment.logger,
                             onListening: { [self] in setTrusted($0) }, onNotification: { [self] _ in invalidate() })
    }
}
