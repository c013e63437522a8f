import Synchronization

/// Running totals of ingest since start, readable in-process (the demo's live view, `bench ingest`); the same
/// counts go to Prometheus through ``RelayMetrics``.
public final class RelayStatistics: Sendable {
    /// A consistent copy of the totals.
    public struct Snapshot: Sendable, Equatable {
        /// Frames read from hosts.
        public var received: UInt64 = 0
        /// Events appended to the log by ingest.
        public var emitted: UInt64 = 0
        /// `#commit` events appended.
        public var emittedCommits: UInt64 = 0
        /// Drops by reason label.
        public var dropped: [String: UInt64] = [:]
        /// Ignored events (replays, stale) by reason.
        public var ignored: [String: UInt64] = [:]
        /// Upstream reads that had to wait for their host's rate limit (the events are delayed, not dropped).
        public var rateLimitWaits: UInt64 = 0

        /// All drops.
        public var droppedTotal: UInt64 { dropped.values.reduce(0, +) }
    }

    private let state = Mutex(Snapshot())

    init() {}

    /// The totals now.
    public var snapshot: Snapshot { state.withLock { $0 } }

    func received(_ count: UInt64 = 1) { state.withLock { $0.received += count } }

    func emitted(commit: Bool) {
        state.withLock { state in
            state.emitted += 1
            if commit { state.emittedCommits += 1 }
        }
    }

    func dropped(_ reason: String) { state.withLock { $0.dropped[reason, default: 0] += 1 } }

    func ignored(_ reason: String) { state.withLock { $0.ignored[reason, default: 0] += 1 } }

    func rateLimited() { state.withLock { $0.rateLimitWaits += 1 } }
}
