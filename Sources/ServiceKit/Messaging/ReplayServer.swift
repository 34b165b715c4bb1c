import Contracts
import Foundation
import Logging
import MessageBus
import PostgresNIO
import ServiceLifecycle

/// Serves a service's outbox by sequence range on its ROUTER endpoint, in bounded batches:
/// how a consumer that was down, slow or saw a gap catches up.
public final class ReplayServer: Service, Sendable {
    public static let maxBatch = 1000

    let responder: BusResponder
    let rows: OutboxRows
    let client: PostgresClient
    let metrics: ServiceMetrics
    let logger: Logger

    public init(responder: BusResponder, schema: String, source: String, client: PostgresClient, metrics: ServiceMetrics, logger: Logger) {
        self.responder = responder
        self.rows = OutboxRows(schema: SQLIdentifier.checked(schema), source: source)
        self.client = client
        self.metrics = metrics
        self.logger = logger
    }

    public func run() async throws {
        await withGracefulShutdownHandler {
            await responder.serve(logger: logger) { frames in
                try await self.answer(frames)
            }
        } onGracefulShutdown: {
            self.responder.close()
        }
    }

    func answer(_ frames: [Data]) async throws -> [Data] {
        let source = rows.source
        guard let first = frames.first, let request = try? LyceumJSON.decoder().decode(ReplayRequest.self, from: first) else {
            metrics.counter("bus_malformed_frames_total", [("socket", "replay")], help: "Malformed bus frames dropped").increment()
            return [try LyceumJSON.encoder().encode(ReplayBatch(source: source, latestSequence: 0, count: 0, error: "malformed replay request"))]
        }
        guard request.source == source else {
            return [try LyceumJSON.encoder().encode(ReplayBatch(source: source, latestSequence: 0, count: 0,
                                                               error: "this endpoint replays \(source), not \(request.source)"))]
        }
        let limit = max(1, min(request.limit, Self.maxBatch))
        let (stream, events) = try await DatabaseDeadline.run { [rows, client, logger] in
            try await client.withConnection { connection in
                let stream = try await rows.stream(on: connection, logger: logger)
                guard request.after >= stream.prunedThrough else { return (stream, [OutboxRows.Event]()) }
                let events = try await rows.sequenced(after: max(0, request.after), limit: limit,
                                                      on: connection, logger: logger)
                return (stream, events)
            }
        }
        if request.after < stream.prunedThrough {
            metrics.counter("bus_replay_beyond_retention_total", [("source", source)],
                            help: "Replay requests for events already deleted by the retention window").increment()
            logger.error("replay asked for events past the retention window", metadata: [
                "after": "\(request.after)", "pruned_through": "\(stream.prunedThrough)",
            ])
            let refusal = ReplayBatch(
                source: source, latestSequence: stream.latest, count: 0,
                error: "events \(request.after + 1)…\(stream.prunedThrough) of \(source) were deleted by the retention window; "
                    + "the consumer must be re-seeded", prunedThrough: stream.prunedThrough)
            return [try LyceumJSON.encoder().encode(refusal)]
        }
        metrics.counter("bus_events_replayed_total", [("source", source)], help: "Events served to replay requests").increment(by: Int64(events.count))
        let head = try LyceumJSON.encoder().encode(ReplayBatch(source: source, latestSequence: stream.latest, count: events.count,
                                                               prunedThrough: stream.prunedThrough))
        return [head] + events.map(\.envelope)
    }
}
