import CoreMetrics
import Metrics
import Prometheus
import Synchronization

/// The server's metrics, through the swift-metrics API into a Prometheus registry of its own
/// (not the process-wide `MetricsSystem`, so several servers, e.g. in tests, never share counts).
///
/// Exposed on `GET /metrics` in the Prometheus text format:
/// * `http_requests_total{route, method, status}` — requests answered;
/// * `http_request_duration_seconds{route, method}` — latency histogram (100 µs … 10 s buckets);
/// * `dispatch_events_total{department}` — events assigned, by the responsible department
///   (`none`: no dispatch rule for the category, or outside that department's grid);
/// * `dispatch_events_by_layer_total{layer}` — events that fell in a cell of each layer;
/// * `dispatch_events_outside_total` — events outside every layer;
/// * `dispatch_event_errors_total{field}` — refused events (single or batch items), by field;
/// * `dispatch_twin_generation`, `dispatch_twin_reloads_total{result}` — the twin served and reloads.
final class DispatchMetrics: Sendable {
    let registry = PrometheusCollectorRegistry()
    private let factory: PrometheusMetricsFactory

    private struct RouteKey: Hashable { var route: String; var method: String; var status: Int }
    private let requests = Mutex<[RouteKey: CoreMetrics.Counter]>([:])
    private struct TimerKey: Hashable { var route: String; var method: String }
    /// A counter's label and its one dimension (empty name and value: none). A struct rather than
    /// a joined string so that looking a counter up allocates nothing (this runs on every request).
    private struct CounterKey: Hashable { var label: String; var name: String; var value: String }
    private let durations = Mutex<[TimerKey: Timer]>([:])
    private let byName = Mutex<[CounterKey: CoreMetrics.Counter]>([:])
    let generation: CoreMetrics.Gauge

    init() {
        var factory = PrometheusMetricsFactory(registry: registry)
        factory.defaultDurationHistogramBuckets = [
            .microseconds(100), .microseconds(250), .microseconds(500), .milliseconds(1), .microseconds(2500),
            .milliseconds(5), .milliseconds(10), .milliseconds(25), .milliseconds(100), .milliseconds(1000), .seconds(10),
        ]
        self.factory = factory
        generation = CoreMetrics.Gauge(label: "dispatch_twin_generation", factory: factory)
    }

    /// Counts one answered request and its latency.
    func recordRequest(route: String, method: String, status: Int, nanoseconds: Int64) {
        let key = RouteKey(route: route, method: method, status: status)
        let counter = requests.withLock { map in
            if let c = map[key] { return c }
            let c = CoreMetrics.Counter(label: "http_requests_total",
                                        dimensions: [("route", route), ("method", method), ("status", String(status))],
                                        factory: factory)
            map[key] = c
            return c
        }
        counter.increment()
        let timerKey = TimerKey(route: route, method: method)
        let timer = durations.withLock { map in
            if let t = map[timerKey] { return t }
            let t = Timer(label: "http_request_duration_seconds", dimensions: [("route", route), ("method", method)],
                          preferredDisplayUnit: .seconds, factory: factory)
            map[timerKey] = t
            return t
        }
        timer.recordNanoseconds(nanoseconds)
    }

    /// A counter by label and one dimension, created on first use.
    func counter(_ label: String, _ dimension: (String, String)? = nil) -> CoreMetrics.Counter {
        let key = CounterKey(label: label, name: dimension?.0 ?? "", value: dimension?.1 ?? "")
        return byName.withLock { map in
            if let c = map[key] { return c }
            let c = CoreMetrics.Counter(label: label, dimensions: dimension.map { [$0] } ?? [], factory: factory)
            map[key] = c
            return c
        }
    }

    /// Adds one request's event tally.
    func record(_ tally: EventTally, layerNames: [String]) {
        for (department, n) in tally.byDepartment where n > 0 {
            counter("dispatch_events_total", ("department", department)).increment(by: n)
        }
        for (l, n) in tally.byLayer.enumerated() where n > 0 && l < layerNames.count {
            counter("dispatch_events_by_layer_total", ("layer", layerNames[l])).increment(by: n)
        }
        if tally.outside > 0 { counter("dispatch_events_outside_total").increment(by: tally.outside) }
        for (field, n) in tally.errors where n > 0 {
            counter("dispatch_event_errors_total", ("field", field)).increment(by: n)
        }
    }

    /// The Prometheus text exposition.
    func exposition() -> [UInt8] { registry.emitToBuffer() }
}

/// One request's events, counted locally and added to the shared counters once.
struct EventTally {
    var byDepartment: [String: Int] = [:]
    var byLayer: [Int]
    var outside = 0
    var errors: [String: Int] = [:]

    init(layers: Int) { byLayer = [Int](repeating: 0, count: layers) }
}
