import Foundation
import Synchronization

/// A thread-safe TID source whose values strictly increase, even when the wall clock steps backwards.
///
/// Each call reads the clock; if the resulting TID would not exceed the last one issued, the timestamp is bumped to
/// one microsecond past the last one instead, so revs stay strictly increasing as the protocol requires.
public final class TIDClock: Sendable {
    /// The clock id stamped into every TID from this source.
    public let clockID: UInt16
    private let now: @Sendable () -> UInt64
    private let last: Mutex<UInt64>

    /// Creates a source. `clockID` defaults to a random 10-bit value; `floor` (e.g. the last stored rev) is a TID
    /// every result must exceed; `now` returns microseconds since the epoch and exists for tests.
    public init(
        clockID: UInt16 = UInt16.random(in: 0...TID.maxClockID),
        after floor: TID? = nil,
        now: @escaping @Sendable () -> UInt64 = TIDClock.systemMicroseconds
    ) {
        self.clockID = clockID & TID.maxClockID
        self.now = now
        // A spec TID has its top bit clear; clamping the floor there keeps the bump in `next()` below 2^64.
        self.last = Mutex(min(floor?.rawValue ?? 0, UInt64.max >> 1))
    }

    /// The next TID: the current time, or one microsecond past the previous result if the clock has not advanced.
    public func next() -> TID {
        let micros = min(now(), TID.maxMicroseconds)
        let candidate = micros << 10 | UInt64(clockID)
        let value = last.withLock { last in
            let issued = candidate > last ? candidate : ((last >> 10) + 1) << 10 | UInt64(clockID)
            last = issued
            return issued
        }
        return TID(rawValue: value)
    }

    /// The wall clock in microseconds since the Unix epoch (0 if the clock reads before 1970).
    @Sendable public static func systemMicroseconds() -> UInt64 {
        let micros = (Date().timeIntervalSince1970 * 1_000_000).rounded(.down)
        guard micros > 0, micros < Double(TID.maxMicroseconds) else { return micros > 0 ? TID.maxMicroseconds : 0 }
        return UInt64(micros)
    }
}
