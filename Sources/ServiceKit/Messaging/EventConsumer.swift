import Contracts
import Foundation
import Logging
import MessageBus
import PostgresNIO
import ServiceLifecycle

/// Applies one producer's events to this service, in sequence order and exactly once (the zguide
/// Clone pattern): subscribe first, then replay everything after the stored cursor; a sequence
/// jump or a heartbeat ahead of the cursor triggers another replay. A failing handler is
/// recorded and retried with backoff, never skipped.
public final class EventConsumer: Service, Sendable {
    public static let replayBatch = 500

    let subscription: Subscription
    let endpoints: BusEndpoints
    let busContext: BusContext
    let client: PostgresClient
    let inbox: InboxStore
    let outbox: Outbox
    let metrics: ServiceMetrics
    let logger: Logger
    let replayTimeout: Duration
    let catchUpInterval: Duration

    public init(schema: String, subscription: Subscription, endpoints: BusEndpoints, busContext: BusContext, client: PostgresClient,
                metrics: ServiceMetrics, logger: Logger, replayTimeout: Duration = .seconds(2), catchUpInterval: Duration = .seconds(5)) {
        self.subscription = subscription
        self.endpoints = endpoints
        self.busContext = busContext
        self.client = client
        self.inbox = InboxStore(schema: SQLIdentifier.checked(schema), logger: logger)
        self.outbox = Outbox(schema: schema)
        self.metrics = metrics
        var logger = logger
        logger[metadataKey: "source"] = "\(subscription.producer.eventSource)"
        self.logger = logger
        self.replayTimeout = replayTimeout
        self.catchUpInterval = catchUpInterval
    }

    var source: String { subscription.producer.eventSource }

    enum Trigger: Sendable {
        case live([Data])
        case catchUp
    }

    public func run() async throws {
        let subscriber = try SubscriberSocket(context: busContext, connect: [endpoints.publish], prefixes: [Topics.sourcePrefix(source)])
        let requester = try BusRequester(context: busContext, connect: endpoints.replay)
        defer {
            subscriber.close()
            requester.close()
        }
        let (triggers, continuation) = AsyncStream.makeStream(of: Trigger.self, bufferingPolicy: .bufferingNewest(10_000))
        await cancelWhenGracefulShutdown {
            await withTaskGroup(of: Void.self) { group in
                group.addTask {
                    for await frames in subscriber.messages { continuation.yield(.live(frames)) }
                }
                group.addTask {
                    while !Task.isCancelled {
                        continuation.yield(.catchUp)
                        try? await Task.sleep(for: self.catchUpInterval)
                    }
                }
                group.addTask {
                    await self.consume(triggers, requester: requester)
                }
                await group.next()
                continuation.finish()
                group.cancelAll()
            }
        }
    }

    private func consume(_ triggers: AsyncStream<Trigger>, requester: BusRequester) async {
        var cursor: Int64
        while true {
            do {
                cursor = try await inbox.openCursor(source: source, client: client)
                break
            } catch {
                logger.error("cannot read the inbox cursor", metadata: ["error": "\(PostgresErrorText.describe(error))"])
                guard (try? await Task.sleep(for: .seconds(1))) != nil else { return }
            }
        }
        for await trigger in triggers {
            if Task.isCancelled { return }
            switch trigger {
            case .catchUp:
                await catchUp(&cursor, requester: requester)
            case .live(let frames):
                switch classify(frames) {
                case .heartbeat(let sequence) where sequence > cursor:
                    await catchUp(&cursor, requester: requester)
                case .event(let header, let envelope) where header.sequence == cursor + 1:
                    if await applyUntilDone(header, envelope, cursor: &cursor) == .gap {
                        await catchUp(&cursor, requester: requester)
                    }
                case .event(let header, _) where header.sequence > cursor + 1:
                    metrics.counter("bus_gaps_total", [("source", source)], help: "Sequence gaps detected").increment()
                    await catchUp(&cursor, requester: requester)
                case .heartbeat, .event:
                    break
                case .malformed(let why):
                    metrics.counter("bus_malformed_frames_total", [("socket", "sub")], help: "Malformed bus frames dropped").increment()
                    logger.warning("dropped a malformed bus message", metadata: ["reason": "\(why)"])
                }
            }
        }
    }

    enum Classified {
        case heartbeat(Int64)
        case event(EventHeader, Data)
        case malformed(String)
    }

    func classify(_ frames: [Data]) -> Classified {
        guard frames.count == 2 else { return .malformed("expected 2 frames, got \(frames.count)") }
        let topic = String(decoding: frames[0], as: UTF8.self)
        if topic == Topics.heartbeat(source) {
            guard let heartbeat = try? LyceumJSON.decoder().decode(Heartbeat.self, from: frames[1]) else {
                return .malformed("unreadable heartbeat")
            }
            return .heartbeat(heartbeat.sequence)
        }
        do {
            let header = try EventHeader.decode(from: frames[1])
            guard header.type == topic, header.source == source, header.sequence > 0 else {
                return .malformed("topic \(topic) does not match envelope \(header.type) from \(header.source)")
            }
            return .event(header, frames[1])
        } catch {
            return .malformed("\(error)")
        }
    }

    /// Replays from the producer until this consumer holds everything the producer has.
    private func catchUp(_ cursor: inout Int64, requester: BusRequester) async {
        while !Task.isCancelled {
            let request = ReplayRequest(source: source, after: cursor, limit: Self.replayBatch)
            let frames: [Data]
            do {
                frames = try await requester.request([LyceumJSON.encoder().encode(request)], timeout: replayTimeout)
            } catch {
                logger.debug("replay endpoint not answering; will retry", metadata: ["endpoint": "\(endpoints.replay)"])
                return
            }
            guard let head = frames.first, let batch = try? LyceumJSON.decoder().decode(ReplayBatch.self, from: head), batch.error == nil else {
                logger.warning("replay refused or unreadable", metadata: ["endpoint": "\(endpoints.replay)"])
                return
            }
            for envelope in frames.dropFirst() {
                guard let header = try? EventHeader.decode(from: envelope), header.source == source else {
                    metrics.counter("bus_malformed_frames_total", [("socket", "replay")], help: "Malformed bus frames dropped").increment()
                    logger.warning("replay returned an unreadable envelope")
                    return
                }
                guard header.sequence > cursor else { continue }
                if await applyUntilDone(header, envelope, cursor: &cursor) == .gap { break }
            }
            metrics.gauge("bus_consumer_lag_events", [("source", source)], help: "Producer's latest sequence minus cursor")
                .set(Double(max(0, batch.latestSequence - cursor)))
            if batch.count < Self.replayBatch || cursor >= batch.latestSequence { return }
        }
    }

    enum Applied: Equatable { case done, gap, cancelled }

    /// Applies one event, retrying with exponential backoff while its handler fails.
    private func applyUntilDone(_ header: EventHeader, _ envelope: Data, cursor: inout Int64) async -> Applied {
        let handler = subscription.handlers.handler(for: header.type)
        var hadFailed = false
        while !Task.isCancelled {
            do {
                switch try await inbox.apply(header, envelope: envelope, handler: handler, hadFailed: hadFailed, outbox: outbox, client: client) {
                case .applied:
                    cursor = header.sequence
                    metrics.counter("bus_events_received_total", [("source", source)], help: "Events applied").increment()
                    return .done
                case .alreadyApplied:
                    cursor = max(cursor, header.sequence)
                    return .done
                case .gap(let stored):
                    cursor = stored
                    return .gap
                }
            } catch {
                let reason = PostgresErrorText.describe(error)
                metrics.counter("bus_handler_failures_total", [("source", source), ("type", header.type)], help: "Event handler failures").increment()
                hadFailed = true
                let attempts = (try? await inbox.recordFailure(header, error: reason, client: client)) ?? 1
                let delay = Duration.milliseconds(min(30_000, 200 << min(attempts, 8)))
                logger.error("event handler failed; will retry", metadata: [
                    "event_id": "\(header.id)", "type": "\(header.type)", "sequence": "\(header.sequence)",
                    "attempts": "\(attempts)", "retry_in": "\(delay)", "error": "\(reason)",
                ])
                guard (try? await Task.sleep(for: delay)) != nil else { return .cancelled }
            }
        }
        return .cancelled
    }
}
