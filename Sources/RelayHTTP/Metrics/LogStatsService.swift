import CoreMetrics
import EventLog
import ServiceLifecycle

/// Samples the log and the subscribers once a second: head seq, epoch, stored bytes, events appended, largest lag.
public struct LogStatsService: Service {
    let log: EventLog
    let registry: SubscriberRegistry
    let interval: Duration
    private let head = Gauge(label: "tributary_head_seq")
    private let epoch = Gauge(label: "tributary_epoch")
    private let storedBytes = Gauge(label: "tributary_log_bytes")
    private let appended = Counter(label: "tributary_events_appended_total")
    private let maxLag = Gauge(label: "tributary_subscriber_lag_max_events")

    /// Creates the sampler (create it after the metrics backend is bootstrapped).
    public init(log: EventLog, registry: SubscriberRegistry, interval: Duration = .seconds(1)) {
        self.log = log
        self.registry = registry
        self.interval = interval
    }

    public func run() async throws {
        var lastHead = log.headSeq
        while !Task.isCancelled && !Task.isShuttingDownGracefully {
            let current = log.headSeq
            head.record(current)
            epoch.record(log.epoch)
            storedBytes.record(log.storedBytes)
            // Within one epoch the counter part of the seq counts events; across a bump count the new epoch's.
            let added = Seq.epoch(of: current) == Seq.epoch(of: lastHead)
                ? Seq.counter(of: current) - Seq.counter(of: lastHead) : Seq.counter(of: current)
            if added > 0 { appended.increment(by: Int(added)) }
            lastHead = current
            let lag = registry.all.map { current > $0.position ? current - $0.position : 0 }.max() ?? 0
            maxLag.record(lag)
            try? await Task.sleep(for: interval)
        }
    }
}
