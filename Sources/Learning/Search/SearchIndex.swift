import Foundation
import Logging
import PostgresNIO
import ServiceKit
import ServiceLifecycle
import Synchronization

/// The published catalog's search vectors in memory, so a search nobody made before costs one
/// tiny statement — PostgreSQL turns the words into a tsquery and reports the catalog's search
/// version, without reading a table — instead of index scans that queue under load. A snapshot
/// answers only while its version is the database's (migration 0014 bumps it with every write
/// search can see, in the writer's transaction); otherwise the search goes to PostgreSQL as
/// before and this service builds the next snapshot, a second after the last request for one so
/// a burst of edits costs one build.
final class SearchIndex: Service, Sendable {
    static let maxQueries = 50_000
    static let settle: Duration = .seconds(1)

    private struct State {
        var snapshot: SearchSnapshot?
        var queries: [String: TextQuery.Parsed] = [:]
    }

    private let state = Mutex(State())
    private let requests: AsyncStream<Void>
    private let request: AsyncStream<Void>.Continuation
    private let database: PostgresClient
    private let logger: Logger

    init(database: PostgresClient, logger: Logger) {
        self.database = database
        self.logger = logger
        (requests, request) = AsyncStream.makeStream(bufferingPolicy: .bufferingNewest(1))
        request.yield()
    }

    convenience init(environment: ServiceEnvironment) {
        self.init(database: environment.database, logger: environment.logger)
    }

    /// The snapshot to answer `text` from, with the query parsed; nil when PostgreSQL must answer:
    /// no current snapshot (one is requested) or a query the index does not evaluate.
    func prepare(_ text: String, logger: Logger) async throws -> (snapshot: SearchSnapshot, query: TextQuery.Parsed)? {
        guard let snapshot = state.withLock({ $0.snapshot }) else { return nil }
        let (printed, version) = try await database.execute(SearchStatements.QueryText(text: text), logger: logger).firstElement() ?? ("", -1)
        guard version == snapshot.version else {
            logger.debug("search index behind the catalog", metadata: ["index": "\(snapshot.version)", "catalog": "\(version)"])
            if version > snapshot.version { rebuild() }
            return nil
        }
        let parsed = state.withLock { state in
            if let known = state.queries[printed] { return known }
            if state.queries.count >= Self.maxQueries { state.queries.removeAll(keepingCapacity: true) }
            let parsed = TextQuery.parse(printed)
            state.queries[printed] = parsed
            return parsed
        }
        if parsed == .unsupported { logger.debug("search query left to PostgreSQL", metadata: ["tsquery": "\(printed)"]) }
        return parsed == .unsupported ? nil : (snapshot, parsed)
    }

    /// Asks for a new snapshot soon (a catalog write here: no need to wait for a search to notice).
    func rebuild() { request.yield() }

    func run() async throws {
        await cancelWhenGracefulShutdown { [self] in
            for await _ in requests {
                try? await Task.sleep(for: Self.settle)
                await build()
            }
        }
    }

    /// Builds a snapshot at one instant of the database, retrying while PostgreSQL is away.
    private func build() async {
        while !Task.isCancelled {
            do {
                let start = ContinuousClock.now
                let snapshot = try await load()
                state.withLock { $0.snapshot = snapshot }
                logger.debug("search index built", metadata: ["documents": "\(snapshot.documents.count)", "version": "\(snapshot.version)",
                                                              "took": "\(ContinuousClock.now - start)"])
                return
            } catch {
                logger.warning("could not build the search index; searches use PostgreSQL meanwhile",
                               metadata: ["error": "\(PostgresErrorText.describe(error))"])
                try? await Task.sleep(for: .seconds(2))
            }
        }
    }

    /// The version and the published rows in one snapshot of the database (`transaction` keeps
    /// a dead session from hanging the build).
    private func load() async throws -> SearchSnapshot {
        try await database.transaction(logger: logger) { connection in
            try await connection.query("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY", logger: logger)
            let version = try await connection.query(SearchStatements.version, logger: logger).decode(Int64.self).firstElement() ?? 0
            let loaded = try await connection.execute(SearchStatements.Indexed(), logger: logger).all()
            return SearchSnapshot(version: version, loaded: loaded)
        }
    }
}
