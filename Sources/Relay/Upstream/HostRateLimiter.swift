import Synchronization

/// Per-host event budgets over a second, an hour and a day (token buckets). Over budget, the reader waits —
/// the host keeps its events and the relay's cursor resumes them — rather than dropping anything (design §7).
final class HostRateLimiter: Sendable {
    /// Events per window; `nil` windows are unlimited.
    struct Limits: Sendable, Equatable {
        var perSecond: Double
        var perHour: Double?
        var perDay: Double?

        /// Limits for a host with `accountLimit` accounts (nil: trusted), scaled from the per-second base.
        static func forHost(accountLimit: UInt64?, defaultAccountLimit: UInt64, base: Double, trusted: Double)
            -> Limits
        {
            guard let accountLimit else { return Limits(perSecond: trusted, perHour: nil, perDay: nil) }
            let scale = max(1, Double(accountLimit) / Double(max(1, defaultAccountLimit)))
            let second = base * scale
            return Limits(perSecond: second, perHour: second * 100, perDay: second * 1_000)
        }
    }

    private struct Bucket {
        var capacity: Double
        var tokens: Double
        var refillPerSecond: Double
    }

    private struct State {
        var buckets: [Bucket]
        var last: ContinuousClock.Instant
        var waitingSince: ContinuousClock.Instant?
    }

    private let state: Mutex<State>

    init(limits: Limits) {
        state = Mutex(State(buckets: Self.buckets(limits), last: .now, waitingSince: nil))
    }

    private static func buckets(_ limits: Limits) -> [Bucket] {
        var buckets = [Bucket(capacity: limits.perSecond, tokens: limits.perSecond, refillPerSecond: limits.perSecond)]
        if let hour = limits.perHour { buckets.append(Bucket(capacity: hour, tokens: hour, refillPerSecond: hour / 3600)) }
        if let day = limits.perDay { buckets.append(Bucket(capacity: day, tokens: day, refillPerSecond: day / 86_400)) }
        return buckets
    }

    /// Replaces the limits (after an admin change); buckets start full.
    func update(_ limits: Limits) {
        state.withLock { $0.buckets = Self.buckets(limits) }
    }

    /// How long the reader has been waiting without a break (nil if it is not waiting).
    var waitingFor: Duration? {
        state.withLock { state in state.waitingSince.map { $0.duration(to: .now) } }
    }

    /// Takes one event's worth from every bucket, sleeping until all allow it. Returns how long it waited.
    @discardableResult
    func acquire() async throws -> Duration {
        let start = ContinuousClock.now
        var waited = false
        while true {
            let delay = state.withLock { state -> Double in
                let now = ContinuousClock.Instant.now
                let elapsed = Self.seconds(state.last.duration(to: now))
                state.last = now
                var wait = 0.0
                for index in state.buckets.indices {
                    var bucket = state.buckets[index]
                    bucket.tokens = min(bucket.capacity, bucket.tokens + elapsed * bucket.refillPerSecond)
                    state.buckets[index] = bucket
                    if bucket.tokens < 1 { wait = max(wait, (1 - bucket.tokens) / max(bucket.refillPerSecond, 1e-9)) }
                }
                if wait == 0 {
                    for index in state.buckets.indices { state.buckets[index].tokens -= 1 }
                    state.waitingSince = nil
                } else if state.waitingSince == nil {
                    state.waitingSince = now
                }
                return wait
            }
            if delay == 0 { return waited ? start.duration(to: .now) : .zero }
            waited = true
            try await Task.sleep(for: .milliseconds(Int64(min(delay, 60) * 1000) + 1))
        }
    }

    private static func seconds(_ duration: Duration) -> Double {
        let (seconds, attoseconds) = duration.components
        return Double(seconds) + Double(attoseconds) / 1e18
    }
}
