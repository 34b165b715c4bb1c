import Foundation
import Prometheus

/// A consumer's Prometheus figures for one source: what `lyceum bus status` prints, live.
struct ConsumerMetrics: Sendable {
    let metrics: ServiceMetrics
    let source: String

    private var labels: [(String, String)] { [("source", source)] }

    func received(_ count: Int) {
        metrics.counter("bus_events_received_total", labels, help: "Events applied by this consumer").increment(by: Int64(count))
    }

    func replayed(_ count: Int) {
        metrics.counter("bus_events_replay_received_total", labels, help: "Events fetched from the producer's replay endpoint")
            .increment(by: Int64(count))
    }

    func gap() {
        metrics.counter("bus_gaps_total", labels, help: "Sequence gaps detected on the live stream").increment()
    }

    func malformed(_ socket: String) {
        metrics.counter("bus_malformed_frames_total", [("socket", socket)], help: "Malformed bus messages dropped").increment()
    }

    func handlerFailure(type: String) {
        metrics.counter("bus_handler_failures_total", labels + [("type", type)], help: "Event handler failures").increment()
    }

    func parked() {
        metrics.counter("bus_events_parked_total", labels, help: "Events parked after failing too often").increment()
    }

    func parkedNow(_ count: Int) {
        metrics.gauge("bus_parked_events", labels, help: "Parked events awaiting `lyceum bus retry`").set(Double(count))
    }

    /// An alarm: the producer no longer holds events this consumer has not applied.
    func beyondRetention(_ isBeyond: Bool) {
        metrics.gauge("bus_consumer_beyond_retention", labels, help: "1 while the events this consumer needs are past the producer's retention")
            .set(Double(isBeyond ? 1 : 0))
    }

    func lag(_ position: EventConsumer.Position) {
        metrics.gauge("bus_consumer_lag_events", labels, help: "Producer's latest sequence minus this consumer's cursor")
            .set(Double(max(0, position.latestKnown - position.cursor)))
        if position.latestKnown <= position.cursor { lagSeconds(0) }
    }

    /// Lag in time: how old the last applied event is while more are waiting, else zero.
    func delivered(latestOccurredAt: Date, _ position: EventConsumer.Position) {
        lag(position)
        if position.latestKnown > position.cursor { lagSeconds(max(0, Date().timeIntervalSince(latestOccurredAt))) }
    }

    private func lagSeconds(_ seconds: Double) {
        metrics.gauge("bus_consumer_lag_seconds", labels, help: "Age of the newest applied event while the consumer is behind").set(seconds)
    }
}
