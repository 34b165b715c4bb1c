import Hummingbird
import Prometheus

/// One Prometheus registry per service instance (not the global MetricsSystem, so several
/// services can live in one test process), served at `/metrics`.
public final class ServiceMetrics: Sendable {
    public let registry = PrometheusCollectorRegistry()

    public init() {}

    public func counter(_ name: String, _ labels: [(String, String)] = [], help: String = "") -> Counter {
        registry.makeCounter(descriptor: Self.descriptor(name, help), labels: labels)
    }

    public func gauge(_ name: String, _ labels: [(String, String)] = [], help: String = "") -> Gauge {
        registry.makeGauge(descriptor: Self.descriptor(name, help), labels: labels)
    }

    /// `bus_events_published_total` -> metric `bus_events_published`, unit `total`.
    static func descriptor(_ name: String, _ help: String) -> MetricNameDescriptor {
        let split = name.lastIndex(of: "_") ?? name.endIndex
        let unit = split < name.endIndex ? String(name[name.index(after: split)...]) : ""
        return MetricNameDescriptor(metricName: String(name[..<split]), unitName: unit, helpText: help)
    }

    static let latencyBuckets: [Duration] = [.milliseconds(1), .milliseconds(5), .milliseconds(10), .milliseconds(25),
                                             .milliseconds(50), .milliseconds(100), .milliseconds(250), .seconds(1), .seconds(5)]

    func requestDuration(method: String, route: String) -> DurationHistogram {
        registry.makeDurationHistogram(
            descriptor: Self.descriptor("http_request_duration_seconds", "HTTP request latency"),
            labels: [("method", method), ("route", route)], buckets: Self.latencyBuckets)
    }
}

/// Counts requests by method, route template and status, and times them.
public struct MetricsMiddleware: RouterMiddleware {
    public typealias Context = ServiceRequestContext
    let metrics: ServiceMetrics

    public init(metrics: ServiceMetrics) {
        self.metrics = metrics
    }

    public func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let start = ContinuousClock.now
        let response = try await next(request, context)
        let route = context.endpointPath ?? "unmatched"
        let method = request.method.rawValue
        metrics.counter("http_requests_total", [("method", method), ("route", route), ("status", String(response.status.code))],
                        help: "HTTP requests served").increment()
        metrics.requestDuration(method: method, route: route).record(ContinuousClock.now - start)
        return response
    }
}
