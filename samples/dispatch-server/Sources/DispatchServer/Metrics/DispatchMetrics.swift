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

    /// One snapshot's event counters, created on its first request (a lookup by label and
    /// dimension costs string hashing; this runs on every request).
    private final class SnapshotCounters: Sendable {
        let generation: Int
        let byLayer: [CoreMetrics.Counter]
        /// 0: `none`; `l + 1`: the department whose grid is layer `l`.
        let byDepartment: [CoreMetrics.Counter]
        let outside: CoreMetrics.Counter

        init(_ snapshot: TwinSnapshot, _ metrics: DispatchMetrics) {
            generation = snapshot.generation
            let names = snapshot.twin.layers.map(\.name)
            byLayer = names.map { metrics.counter("dispatch_events_by_layer_total", ("layer", $0)) }
            byDepartment = [metrics.counter("dispatch_events_total", ("department", "none"))]
                + names.map { metrics.counter("dispatch_events_total", ("department", $0)) }
            outside = metrics.counter("dispatch_events_outside_total")
        }
    }
    private let snapshotCounters = Mutex<SnapshotCounters?>(nil)

    /// Adds one request's event tally (counted against `snapshot`'s layers).
    func record(_ tally: EventTally, snapshot: TwinSnapshot) {
        let counters = snapshotCounters.withLock { current in
            if let c = current, c.generation == snapshot.generation { return c }
            let c = SnapshotCounters(snapshot, self)
            current = c
            return c
        }
        for (l, n) in tally.byLayer.enumerated() where n > 0 && l < counters.byLayer.count {
            counters.byLayer[l].increment(by: n)
        }
        for (d, n) in tally.byDepartment.enumerated() where n > 0 && d < counters.byDepartment.count {
            counters.byDepartment[d].increment(by: n)
        }
        if tally.outside > 0 { counters.outside.increment(by: tally.outside) }
        for (field, n) in tally.errors where n > 0 {
            counter("dispatch_event_errors_total", ("field", field)).increment(by: n)
        }
    }

    /// The Prometheus text exposition.
    func exposition() -> [UInt8] { registry.emitToBuffer() }
}

/// One request's events, counted locally and added to the shared counters once.
struct EventTally {
    /// Per layer: events in one of its cells.
    var byLayer: [Int]
    /// 0: events no department is responsible for (no rule for the category, or outside that
    /// department's grid); `l + 1`: events for the department whose grid is layer `l`.
    var byDepartment: [Int]
    var outside = 0
    /// Refused events by the field at fault (rare: a dictionary is fine).
    var errors: [String: Int] = [:]

    init(layers: Int) {
        byLayer = [Int](repeating: 0, count: layers)
        byDepartment = [Int](repeating: 0, count: layers + 1)
    }

    /// Counts one refused event.
    mutating func refused(_ field: String?) { errors[field ?? "event", default: 0] += 1 }
}
