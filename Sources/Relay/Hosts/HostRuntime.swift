import EventLog
import Synchronization

/// The live state of one upstream host: its in-flight tracker, rate limiter, counters and connection task.
final class HostRuntime: Sendable {
    struct Live: Sendable {
        var status: HostStatus
        var trusted: Bool
        /// Per-host override; nil = the relay default.
        var accountLimitOverride: UInt64?
        /// Accounts counted against the limit (throttled ones are not).
        var accountCount: UInt64
        var generation: UInt64
        var connected = false
        var consecutiveFailures = 0
        /// Start of the current run of reads that had to wait for the rate limit.
        var rateLimitedSince: ContinuousClock.Instant?
        var dropped: [String: UInt64] = [:]
        var connection: Task<Void, Never>?
    }

    let hostname: Hostname
    let progress: HostProgress
    let limiter: HostRateLimiter
    private let live: Mutex<Live>

    init(hostname: Hostname, state: HostState, trusted: Bool, limits: HostRateLimiter.Limits, capacity: Int) {
        self.hostname = hostname
        self.progress = HostProgress(capacity: capacity)
        self.limiter = HostRateLimiter(limits: limits)
        self.live = Mutex(Live(
            status: state.status, trusted: trusted, accountLimitOverride: state.accountLimit,
            accountCount: state.accountCount, generation: state.generation))
    }

    func withLive<R>(_ body: (inout Live) -> R) -> R { live.withLock { body(&$0) } }

    var snapshot: Live { live.withLock { $0 } }
    var isBanned: Bool { live.withLock { $0.status == .banned } }
    var generation: UInt64 { live.withLock { $0.generation } }

    func countDrop(_ reason: DropReason) {
        live.withLock { $0.dropped[reason.label, default: 0] += 1 }
    }
}
