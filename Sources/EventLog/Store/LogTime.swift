import Foundation

/// A point in time as microseconds since the Unix epoch (UTC), the resolution the log stores.
public struct LogTime: Comparable, Hashable, Sendable, CustomStringConvertible {
    /// Microseconds since 1970-01-01T00:00:00Z.
    public var microseconds: Int64

    /// Wraps a microsecond count.
    public init(microseconds: Int64) { self.microseconds = microseconds }

    /// The given date, truncated to microseconds.
    public init(_ date: Date) { self.microseconds = Int64((date.timeIntervalSince1970 * 1_000_000).rounded(.down)) }

    /// The current wall-clock time.
    public static func now() -> LogTime { LogTime(Date()) }

    /// As a Foundation date.
    public var date: Date { Date(timeIntervalSince1970: Double(microseconds) / 1_000_000) }

    /// This time moved by `duration` (saturating).
    public func adding(_ duration: Duration) -> LogTime {
        let (seconds, attoseconds) = duration.components
        let micros = seconds.multipliedReportingOverflow(by: 1_000_000)
        guard !micros.overflow else { return LogTime(microseconds: seconds < 0 ? .min : .max) }
        let sum = microseconds.addingReportingOverflow(micros.partialValue + attoseconds / 1_000_000_000_000)
        return sum.overflow ? LogTime(microseconds: seconds < 0 ? .min : .max) : LogTime(microseconds: sum.partialValue)
    }

    public static func < (lhs: LogTime, rhs: LogTime) -> Bool { lhs.microseconds < rhs.microseconds }

    public var description: String { date.formatted(.iso8601) }
}
