import Contracts
import Foundation
import Logging
import MessageBus
import PostgresNIO
import ServiceLifecycle

/// Applies one producer's events to this service, in sequence order and exactly once (the zguide
/// Clone pattern): subscribe first, then replay everything after the stored cursor; a sequence
/// jump or a heartbeat ahead of the cursor triggers another replay. Busy streams are applied in
/// batches. A failing handler is recorded and retried with backoff; after `maxAttempts` its event
/// is parked (kept, counted, visible in `lyceum bus status`) and the stream goes on.
public final class EventConsumer: Service, Sendable {
    public static let replayBatch = 500

    let subscription: Subscription
    let endpoints: BusEndpoints
    let curve: CurveClient?
    let busContext: BusContext
    let client: PostgresClient
    let inbox: InboxStore
    let outbox: Outbox
    let delivery: DeliverySettings
    let metrics: ConsumerMetrics
    let logger: Logger
    let replayTimeout: Duration
    let catchUpInterval: Duration
    /// Called after each commit with the events it applied (benchmarks measure latency with it).
    let onApplied: (@Sendable ([EventHeader]) -> Void)?

    public init(schema: String, subscription: Subscription, endpoints: BusEndpoints, curve: CurveClient? = nil,
                busContext: BusContext, client: PostgresClient,
                metrics: ServiceMetrics, logger: Logger, delivery: DeliverySettings = DeliverySettings(),
                replayTimeout: Duration = .seconds(2), catchUpInterval: Duration = .seconds(5),
                onApplied: (@Sendable ([EventHeader]) -> Void)? = nil) {
        let source = subscription.producer.eventSource
        self.subscription = subscription
        self.endpoints = endpoints
        self.curve = curve
        self.busContext = busContext
        self.client = client
        var logger = logger
        logger[metadataKey: "source"] = "\(source)"
        self.logger = logger
        self.inbox = InboxStore(schema: SQLIdentifier.checked(schema), source: source, logger: logger)
        self.outbox = Outbox(schema: schema)
        self.delivery = delivery
        self.metrics = ConsumerMetrics(metrics: metrics, source: source)
        self.replayTimeout = replayTimeout
        self.catchUpInterval = catchUpInterval
        self.onApplied = onApplied
    }

    var source: String { subscription.producer.eventSource }

    /// Where this consumer stands in the producer's stream.
    struct Position {
        var cursor: Int64
        var latestKnown: Int64
        /// Since when replay requests have gone unanswered, and when that was last logged.
        var replaySilentSince: ContinuousClock.Instant?
        var replaySilenceLogged: ContinuousClock.Instant?
    }

    public func run() async throws {
        let subscriber = try SubscriberSocket(context: busContext, connect: endpoints.publishPeers, prefixes: [Topics.sourcePrefix(source)],
                                              curve: curve)
        let requester = try BusRequester(context: busContext, connect: endpoints.replayPeers, curve: curve)
        defer {
            subscriber.close()
            requester.close()
        }
        let live = LiveBuffer()
        await cancelWhenGracefulShutdown {
            await withTaskGroup(of: Void.self) { group in
                group.addTask {
                    for await frames in subscriber.messages { live.append(frames) }
                }
                group.addTask {
                    await self.consume(live, requester: requester)
                }
                await group.next()
                group.cancelAll()
            }
        }
    }

    private func consume(_ live: LiveBuffer, requester: BusRequester) async {
        guard let cursor = await openCursor() else { return }
        var position = Position(cursor: cursor, latestKnown: cursor)
        var nextTick = ContinuousClock.now
        while !Task.isCancelled {
            let messages = live.drain()
            if !messages.isEmpty {
                await handleLive(messages, &position, requester: requester)
            }
            if ContinuousClock.now >= nextTick {
                await catchUp(&position, requester: requester)
                await retryRequestedParkedEvents()
                nextTick = ContinuousClock.now + catchUpInterval
            }
            await live.wake.wait(timeout: max(.milliseconds(1), nextTick - ContinuousClock.now))
        }
    }

    private func openCursor() async -> Int64? {
        while !Task.isCancelled {
            do {
                return try await inbox.openCursor(client: client)
            } catch {
                logger.error("cannot read the inbox cursor", metadata: ["error": "\(PostgresErrorText.describe(error))"])
                guard (try? await Task.sleep(for: .seconds(1))) != nil else { return nil }
            }
        }
        return nil
    }

    /// Applies the live events that continue the stream; anything else that says the consumer is
    /// behind (a jump, a heartbeat ahead) sends it to the replay endpoint.
    private func handleLive(_ messages: [[Data]], _ position: inout Position, requester: BusRequester) async {
        var run: [DeliveredEvent] = []
        var behind = false
        for frames in messages {
            switch ConsumerFrame.classify(frames, source: source) {
            case .heartbeat(let sequence):
                position.latestKnown = max(position.latestKnown, sequence)
            case .event(let event):
                position.latestKnown = max(position.latestKnown, event.header.sequence)
                let expected = (run.last?.header.sequence ?? position.cursor) + 1
                if event.header.sequence == expected, !behind {
                    run.append(event)
                } else if event.header.sequence > expected, !behind {
                    metrics.gap()
                    behind = true
                }
            case .malformed(let why):
                metrics.malformed("sub")
                logger.warning("dropped a malformed bus message", metadata: ["reason": "\(why)"])
            }
        }
        if await apply(run, &position) == .gap { behind = true }
        if behind || position.latestKnown > position.cursor {
            await catchUp(&position, requester: requester)
        }
    }

    /// Replays from the producer until this consumer holds everything the producer has. While one
    /// page is applied the next is already on its way: the producer's read and the decoding of its
    /// envelopes no longer wait for the consumer's transaction, nor it for them.
    private func catchUp(_ position: inout Position, requester: BusRequester) async {
        var page = await replayPage(after: position.cursor, requester: requester)
        while !Task.isCancelled {
            guard let (events, latest) = accept(page, &position) else { return }
            let last = events.last?.header.sequence ?? position.cursor
            let next = events.count == Self.replayBatch && last < latest
                ? Task { await self.replayPage(after: last, requester: requester) } : nil
            let outcome = await apply(events, &position)
            metrics.lag(position)
            guard let next, outcome == .done, position.cursor == last else {
                next?.cancel()
                return
            }
            page = await next.value
        }
    }

    enum ReplayPage: Sendable {
        case events([DeliveredEvent], latest: Int64)
        case silent
        case refused(String, ReplayBatch)
        case unreadable(String)
    }

    private func replayPage(after cursor: Int64, requester: BusRequester) async -> ReplayPage {
        let frames: [Data]
        do {
            let request = ReplayRequest(source: source, after: cursor, limit: Self.replayBatch)
            frames = try await requester.request([LyceumJSON.encoder().encode(request)], timeout: replayTimeout)
        } catch {
            return .silent
        }
        guard let head = frames.first, let batch = try? LyceumJSON.decoder().decode(ReplayBatch.self, from: head) else {
            return .unreadable("unreadable replay reply")
        }
        if let refusal = batch.error { return .refused(refusal, batch) }
        var events: [DeliveredEvent] = []
        events.reserveCapacity(frames.count - 1)
        for envelope in frames.dropFirst() {
            guard let event = ConsumerFrame.envelope(envelope, source: source) else { return .unreadable("replay returned an unreadable envelope") }
            events.append(event)
        }
        return .events(events, latest: batch.latestSequence)
    }

    /// A page's events to apply, or nil (having noted why) when it brought none.
    private func accept(_ page: ReplayPage, _ position: inout Position) -> ([DeliveredEvent], Int64)? {
        if case .silent = page {
            noteSilence(&position)
            return nil
        }
        position.replaySilentSince = nil
        switch page {
        case .silent:
            return nil
        case .unreadable(let why):
            metrics.malformed("replay")
            logger.warning("\(why)", metadata: ["endpoints": "\(endpoints.replayPeers)"])
            return nil
        case .refused(let refusal, let batch):
            noteRefusal(refusal, batch: batch, cursor: position.cursor)
            return nil
        case .events(let events, let latest):
            metrics.beyondRetention(false)
            position.latestKnown = latest  // authoritative, unlike a live frame
            metrics.replayed(events.count)
            return (events, latest)
        }
    }

    /// A producer that is restarting misses a request or two; one silent for long is worth a warning.
    private func noteSilence(_ position: inout Position) {
        let now = ContinuousClock.now
        let since = position.replaySilentSince ?? now
        position.replaySilentSince = since
        let quietFor = now - since
        guard quietFor >= .seconds(10), (position.replaySilenceLogged.map { now - $0 >= .seconds(60) } ?? true) else {
            logger.debug("replay endpoint not answering; will retry", metadata: ["endpoints": "\(endpoints.replayPeers)"])
            return
        }
        position.replaySilenceLogged = now
        logger.warning("replay endpoint not answering; events behind the cursor wait for it", metadata: [
            "endpoints": "\(endpoints.replayPeers)", "silent_for": "\(DurationText.format(quietFor))",
            "cursor": "\(position.cursor)", "latest_known": "\(position.latestKnown)",
        ])
    }

    private func noteRefusal(_ refusal: String, batch: ReplayBatch, cursor: Int64) {
        if let pruned = batch.prunedThrough, pruned > cursor {
            metrics.beyondRetention(true)
            logger.critical("events this consumer still needs were deleted by the producer's retention window", metadata: [
                "cursor": "\(cursor)", "pruned_through": "\(pruned)", "error": "\(refusal)",
            ])
        } else {
            logger.warning("replay refused", metadata: ["error": "\(refusal)"])
        }
    }

    enum Applied: Equatable { case done, gap, cancelled }

    /// Applies `events` (in sequence order) in batches. A batch whose handler fails is halved until
    /// the failing event stands alone, so it alone is retried and perhaps parked: a poison event in
    /// a batch of 1000 costs about 20 statements, not 1000 one-event transactions. Once the cursor is
    /// past the failed batch, batches are full size again. A batch applied in parts that fails
    /// (a deadlock between the parts, a poison event) is first tried again whole.
    private func apply(_ events: [DeliveredEvent], _ position: inout Position) async -> Applied {
        var pending = events[...]
        var limit = delivery.applyBatch
        var suspectThrough: Int64 = 0
        var split = subscription.orderKey.flatMap { delivery.applyParts > 1 ? InboxStore.Split(count: delivery.applyParts, key: $0) : nil }
        while !Task.isCancelled {
            pending = pending.drop { $0.header.sequence <= position.cursor }
            guard let next = pending.first else { return .done }
            guard next.header.sequence == position.cursor + 1 else { return .gap }
            if position.cursor >= suspectThrough { limit = delivery.applyBatch }
            let batch = Array(pending.prefix(limit))
            if batch.count == 1 {
                let outcome = await applyOne(next, &position)
                if outcome != .done { return outcome }
                continue
            }
            do {
                switch try await inbox.apply(batch, handlers: subscription.handlers, resolvingFailure: false, split: split,
                                             outbox: outbox, client: client) {
                case .applied(let count, let cursor):
                    applied(batch.prefix(count), cursor: cursor, &position)
                case .gap(let cursor):
                    position.cursor = cursor
                    return .gap
                }
            } catch where PostgresErrorText.isConnectionLoss(error) {
                await waitOutConnectionLoss(error)
            } catch let failure as InboxStore.PartFailed {
                logger.notice("a run applied in parts failed; applying it whole", metadata: ["error": "\(failure)"])
                split = nil
            } catch {
                suspectThrough = batch[batch.count - 1].header.sequence
                limit = batch.count / 2
            }
        }
        return .cancelled
    }

    /// One event whose handler may be failing: retried with backoff until it succeeds or reaches
    /// `maxAttempts` (counted across restarts); an event this code cannot read is parked at once.
    private func applyOne(_ event: DeliveredEvent, _ position: inout Position) async -> Applied {
        let header = event.header
        var hasFailed = false
        while !Task.isCancelled {
            do {
                switch try await inbox.apply([event], handlers: subscription.handlers, resolvingFailure: hasFailed, outbox: outbox, client: client) {
                case .applied(let count, let cursor):
                    applied([event].prefix(count), cursor: cursor, &position)
                    return .done
                case .gap(let cursor):
                    position.cursor = cursor
                    return .gap
                }
            } catch where PostgresErrorText.isConnectionLoss(error) {
                await waitOutConnectionLoss(error)
                continue
            } catch {
                hasFailed = true
                let reason = PostgresErrorText.describe(error)
                let unreadable = error is EnvelopeError
                metrics.handlerFailure(type: header.type)
                if unreadable { metrics.malformed("envelope") }
                guard let attempts = try? await inbox.recordFailure(event, error: reason, client: client) else {
                    await waitOutConnectionLoss(error)
                    continue
                }
                if unreadable || attempts >= delivery.maxAttempts {
                    if await park(event, attempts: attempts, reason: reason, &position) { return .done }
                    continue
                }
                let delay = delivery.backoff(afterAttempts: attempts)
                logger.error("event handler failed; will retry", metadata: [
                    "event_id": "\(header.id)", "type": "\(header.type)", "sequence": "\(header.sequence)",
                    "attempts": "\(attempts)", "retry_in": "\(delay)", "error": "\(reason)",
                ])
                guard (try? await Task.sleep(for: delay)) != nil else { return .cancelled }
            }
        }
        return .cancelled
    }

    private func park(_ event: DeliveredEvent, attempts: Int, reason: String, _ position: inout Position) async -> Bool {
        do {
            guard case .applied(_, let cursor) = try await inbox.park(event, client: client) else { return false }
            position.cursor = cursor
            metrics.parked()
            logger.critical("event parked after failing; `lyceum bus retry` re-queues it once fixed", metadata: [
                "event_id": "\(event.header.id)", "type": "\(event.header.type)", "sequence": "\(event.header.sequence)",
                "attempts": "\(attempts)", "error": "\(reason)",
            ])
            return true
        } catch {
            await waitOutConnectionLoss(error)
            return false
        }
    }

    private func applied(_ events: ArraySlice<DeliveredEvent>, cursor: Int64, _ position: inout Position) {
        position.cursor = cursor
        position.latestKnown = max(position.latestKnown, cursor)
        metrics.received(events.count)
        if let last = events.last {
            metrics.delivered(latestOccurredAt: last.header.occurredAt, position)
            onApplied?(events.map(\.header))
        }
    }

    /// Runs the parked events an operator re-queued with `lyceum bus retry`.
    private func retryRequestedParkedEvents() async {
        do {
            for event in try await inbox.parkedForRetry(limit: 100, client: client) {
                do {
                    try await inbox.retryParked(event, handlers: subscription.handlers, outbox: outbox, client: client)
                    logger.notice("parked event applied on retry", metadata: ["event_id": "\(event.header.id)"])
                } catch {
                    metrics.handlerFailure(type: event.header.type)
                    try await inbox.recordParkedFailure(event, error: PostgresErrorText.describe(error), client: client)
                    logger.error("parked event failed again", metadata: [
                        "event_id": "\(event.header.id)", "error": "\(PostgresErrorText.describe(error))",
                    ])
                }
            }
            metrics.parkedNow(try await inbox.parkedCount(client: client))
        } catch where !Task.isCancelled {
            logger.warning("cannot read parked events", metadata: ["error": "\(PostgresErrorText.describe(error))"])
        } catch {
        }
    }

    private func waitOutConnectionLoss(_ error: any Error) async {
        logger.warning("database unreachable; waiting to apply events", metadata: ["error": "\(PostgresErrorText.describe(error))"])
        try? await Task.sleep(for: .seconds(1))
    }
}
