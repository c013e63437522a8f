/// Reconnect delays: `initial` doubling per consecutive failure up to `maximum`, each shortened by a random jitter.
///
/// Jitter only ever shortens a delay (`nominal × (1 − jitter × u)`, `u` in [0, 1)), so the cap is a hard bound and
/// many hosts that failed together spread out instead of reconnecting in lock step.
public struct BackoffPolicy: Sendable, Equatable {
    /// Delay after the first failure.
    public var initial: Duration
    /// Upper bound of any delay.
    public var maximum: Duration
    /// Fraction (0…1) by which a delay may be shortened at random.
    public var jitter: Double

    /// Creates a policy; the defaults are the relay's (1 s doubling to 5 min, up to 25 % shorter).
    public init(initial: Duration = .seconds(1), maximum: Duration = .seconds(300), jitter: Double = 0.25) {
        self.initial = initial
        self.maximum = max(maximum, initial)
        self.jitter = min(max(jitter, 0), 1)
    }

    /// The delay before retry number `failures` (1-based) without jitter: initial × 2^(failures − 1), capped.
    public func nominalDelay(failures: Int) -> Duration {
        let cap = Self.nanoseconds(maximum)
        var delay = Self.nanoseconds(initial)
        var step = 1
        // Doubling stops at the cap, so neither the loop nor the value can run away for huge failure counts.
        while step < failures, delay < cap {
            delay = delay > cap / 2 ? cap : delay * 2
            step += 1
        }
        return .nanoseconds(min(delay, cap))
    }

    /// The delay before retry number `failures` for a uniform random `unit` in [0, 1).
    public func delay(failures: Int, unit: Double) -> Duration {
        let nominal = Double(Self.nanoseconds(nominalDelay(failures: failures)))
        let clamped = min(max(unit, 0), 1)
        return .nanoseconds(Int64((nominal * (1 - jitter * clamped)).rounded()))
    }

    /// The delay before retry number `failures`, drawing the jitter from `generator`.
    public func delay(failures: Int, using generator: inout some RandomNumberGenerator) -> Duration {
        delay(failures: failures, unit: Double.random(in: 0..<1, using: &generator))
    }

    /// Whole nanoseconds of a non-negative duration, saturating (durations here are seconds to minutes).
    static func nanoseconds(_ duration: Duration) -> Int64 {
        let (seconds, attoseconds) = duration.components
        guard seconds >= 0 else { return 0 }
        guard seconds < Int64.max / 1_000_000_000 - 1 else { return Int64.max / 2 }
        return seconds * 1_000_000_000 + attoseconds / 1_000_000_000
    }
}

/// The running state of a backoff: how many consecutive attempts have failed.
public struct Backoff: Sendable, Equatable {
    /// The schedule.
    public var policy: BackoffPolicy
    /// Consecutive failures since the last reset.
    public private(set) var failures: Int = 0

    /// Starts with no failures.
    public init(policy: BackoffPolicy) {
        self.policy = policy
    }

    /// Records one more failure and returns the delay to wait before the next attempt.
    public mutating func nextDelay(using generator: inout some RandomNumberGenerator) -> Duration {
        failures = failures == Int.max ? failures : failures + 1
        return policy.delay(failures: failures, using: &generator)
    }

    /// Forgets past failures (after a connection that delivered events).
    public mutating func reset() {
        failures = 0
    }
}
