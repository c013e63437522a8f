import Metrics
import Synchronization

/// The ingest layer's Prometheus series (via swift-metrics); labelled counters are created once and reused.
public final class RelayMetrics: Sendable {
    private let dropped = Mutex<[String: Counter]>([:])
    private let ignored = Mutex<[String: Counter]>([:])
    private let received = Mutex<[String: Counter]>([:])
    private let emitted = Mutex<[String: Counter]>([:])
    private let warnings = Mutex<[String: Counter]>([:])
    /// Valid commits whose `prevData`/`since` did not chain onto the stored state (passed through).
    let discontinuities = Counter(label: "tributary_discontinuities_total")
    /// Upstream `FutureCursor` answers (host sequence reset).
    let futureCursors = Counter(label: "tributary_upstream_future_cursor_total")
    /// Upstream frame bytes read.
    let upstreamBytes = Counter(label: "tributary_upstream_bytes_total")
    /// Upstream connections opened successfully.
    let upstreamConnects = Counter(label: "tributary_upstream_connects_total")
    /// Open upstream connections.
    let upstreamConnected = Meter(label: "tributary_upstream_connections")
    /// Events per log write transaction.
    let batchSize = Recorder(label: "tributary_ingest_batch_events")
    /// Seconds from receipt of an upstream frame to the commit of its event in the log.
    let ingestLatency = Timer(label: "tributary_ingest_latency_seconds")
    /// Seconds an upstream read waited for its host's rate limit.
    let rateLimitWaits = Counter(label: "tributary_upstream_rate_limited_total")
    /// Events in verification or waiting for the writer.
    let inFlight = Meter(label: "tributary_ingest_in_flight")

    /// Creates the metrics (with whatever metrics backend is bootstrapped).
    public init() {}

    private static func counter(_ cache: borrowing Mutex<[String: Counter]>, _ label: String, _ key: String, _ value: String)
        -> Counter
    {
        cache.withLock { counters in
            if let counter = counters[value] { return counter }
            let counter = Counter(label: label, dimensions: [(key, value)])
            counters[value] = counter
            return counter
        }
    }

    func drop(_ reason: DropReason) {
        Self.counter(dropped, "tributary_events_dropped_total", "reason", reason.label).increment()
    }

    func ignore(_ reason: String) {
        Self.counter(ignored, "tributary_events_ignored_total", "reason", reason).increment()
    }

    func receive(_ kind: String) {
        Self.counter(received, "tributary_upstream_events_total", "kind", kind).increment()
    }

    func emit(_ kind: String) {
        Self.counter(emitted, "tributary_ingest_events_total", "kind", kind).increment()
    }

    func lenientWarning(_ reason: String) {
        Self.counter(warnings, "tributary_lenient_warnings_total", "reason", reason).increment()
    }
}
