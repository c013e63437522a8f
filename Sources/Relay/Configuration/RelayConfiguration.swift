import Firehose

/// Where a host the relay has never read starts (design §8).
public enum NewHostCursor: String, Sendable, CaseIterable {
    /// Cursor 0: everything the host still retains.
    case oldest
    /// No cursor: live events only (the reference relay's behaviour).
    case live
}

/// The ingest layer's policy (design §7–§9); the defaults suit a public deployment.
public struct RelayConfiguration: Sendable {
    /// PLC directory base URL.
    public var plcURL: String = "https://plc.directory"
    /// Hosts to crawl at start (`hostname[:port]`), added without the public-crawl quota.
    public var crawl: [String] = []
    /// Allow loopback and private hosts (tests, demo); they are reached over `ws://`/`http://`.
    public var allowPrivateHosts = false
    /// Turn MST/prevData failures into counted warnings instead of drops.
    public var lenient = false
    /// Accounts a host may have before new ones are throttled.
    public var defaultAccountLimit: UInt64 = 100
    /// Globs (`*` matches any run of characters) of hosts with no account limit and high rate limits.
    public var trustedHosts: [String] = []
    /// Public `requestCrawl` admissions per rolling day.
    public var newHostsPerDay = 50
    /// Where never-seen hosts start.
    public var newHostCursor: NewHostCursor = .oldest
    /// Whether public `requestCrawl` is accepted (the admin API can change it at run time).
    public var publicCrawl = true
    /// How far in the future a rev may be.
    public var maxFutureRev: Duration = .seconds(300)
    /// Reconnect schedule for upstream connections (design §8: 1 s doubling to 5 min).
    public var backoff = BackoffPolicy()
    /// `offline` hosts are retried at least this often.
    public var offlineRetry: Duration = .seconds(3600)
    /// Consecutive connection failures after which a host is shown `offline`.
    public var offlineAfterFailures = 6
    /// Events of one host being verified or written at once (beyond it the relay stops reading that host).
    public var maxInFlightPerHost = 2_000
    /// Events per log write transaction at most.
    public var maxBatchEvents = 2_000
    /// How long the log writer lets a smaller batch gather more events before committing it: one transaction per
    /// event or two (what a busy relay did without it) spends most of the writer's time on per-commit costs. Adds
    /// at most this much to ingest latency.
    public var ingestBatchWindow: Duration = .microseconds(500)
    /// A host waiting on its rate limit this long without a break is marked `throttled`.
    public var throttledAfter: Duration = .seconds(60)
    /// Events/second allowed per host with the default account limit; hour and day windows scale from it.
    public var baseEventsPerSecond: Double = 50
    /// Events/second for trusted hosts.
    public var trustedEventsPerSecond: Double = 50_000
    /// A host connection that stays silent this long is closed and reopened from the committed cursor: the
    /// WebSocket upgrade must complete within it, and a ping (sent every half of it) must be answered within it —
    /// a host stalled inside a frame (slowloris) cannot answer, since a pong cannot interrupt a frame.
    public var upstreamIdleTimeout: Duration = .seconds(90)

    /// The defaults.
    public init() {}
}
