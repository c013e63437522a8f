/// Sequence numbers: `seq = epoch × 2^40 + n`, with `n` counting the events of an epoch from 1 (design §3).
public enum Seq {
    /// Bits of the per-epoch counter.
    public static let counterBits: UInt64 = 40
    /// Largest epoch (epochs stay below 8192 so every seq is below 2^53, exact in JavaScript).
    public static let maxEpoch: UInt64 = 8191
    /// Largest per-epoch counter.
    public static let maxCounter: UInt64 = (1 << counterBits) - 1

    /// The seq of the `counter`-th event of `epoch`.
    public static func make(epoch: UInt64, counter: UInt64) -> UInt64 { epoch << counterBits | counter }

    /// The epoch a seq belongs to.
    public static func epoch(of seq: UInt64) -> UInt64 { seq >> counterBits }

    /// The per-epoch counter of a seq.
    public static func counter(of seq: UInt64) -> UInt64 { seq & maxCounter }
}

/// The default epoch: whole days since 2023-01-01 UTC.
public enum EpochClock {
    /// 2023-01-01T00:00:00Z in microseconds since the Unix epoch.
    static let originMicroseconds: Int64 = 1_672_531_200 * 1_000_000
    static let microsecondsPerDay: Int64 = 86_400 * 1_000_000

    /// Whole days between 2023-01-01 UTC and `time` (0 before that date).
    public static func dayCount(at time: LogTime) -> UInt64 {
        let elapsed = time.microseconds - originMicroseconds
        return elapsed <= 0 ? 0 : UInt64(elapsed / microsecondsPerDay)
    }
}
