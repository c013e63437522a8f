/// A subscriber's position in the log. Replay and live delivery are the same loop: read what follows the
/// position, and sleep on the writer's notification when there is nothing.
public struct LogCursor: Sendable {
    /// The log being followed.
    public let log: EventLog
    /// Seq of the last event delivered or skipped; the next batch starts after it.
    public private(set) var position: UInt64
    /// Only events of this shard are delivered (`nil` = all).
    public let shard: ShardFilter?

    /// Errors while following the log.
    public enum Failure: Error, Equatable, Sendable {
        /// Retention deleted events after the position before they were read (`ConsumerTooSlow`).
        case fellBehind(position: UInt64, prunedThrough: UInt64)
    }

    /// Follows `log` from just after `position`: 0 = from the oldest retained event; otherwise a position at or
    /// above the log's ``EventLog/prunedThrough`` (an older cursor has already lost events; decide about it, e.g.
    /// with an `OutdatedCursor` notice, before following from 0).
    public init(log: EventLog, after position: UInt64, shard: ShardFilter? = nil) {
        self.log = log
        self.position = position
        self.shard = shard
    }

    /// The next events after the position (at most `limit`), waiting for the writer when caught up. Returns an
    /// empty array only when the task is cancelled or the log closes while it waits; throws
    /// ``EventLogError/closed`` if the log was already closed, and ``Failure/fellBehind(position:prunedThrough:)``
    /// if retention deleted events it had not read.
    public mutating func next(limit: Int = 500) async throws -> [StoredEvent] {
        try await next(limit: limit) { $0.copy() }
    }

    /// Like ``next(limit:)``, but hands each event to `transform` inside the read transaction (the view's bytes are
    /// valid only there), so a caller can look an event up or copy it once into the buffer it sends.
    public mutating func next<Element>(limit: Int = 500, _ transform: (EventView) throws -> Element) async throws
        -> [Element]
    {
        let limit = max(1, limit)
        let (product, overflow) = limit.multipliedReportingOverflow(by: 256)
        let maxScanned = overflow ? Int.max : product
        while true {
            let (events, summary, head, prunedThrough) = try log.read { txn in
                var events: [Element] = []
                // Bound the scan so a sparse shard cannot hold one read transaction for the whole log.
                let summary = try txn.scan(after: position, shard: shard, limit: limit, maxScanned: maxScanned) {
                    events.append(try transform($0))
                    return true
                }
                return (events, summary, try txn.headSeq(), try txn.prunedThrough())
            }
            // An event above the position was deleted before it was read.
            if position > 0, position < prunedThrough {
                throw Failure.fellBehind(position: position, prunedThrough: prunedThrough)
            }
            if let last = summary.lastScannedSeq { position = max(position, last) }
            if !events.isEmpty { return events }
            if !summary.reachedEnd { continue }
            if Task.isCancelled || log.appendNotifier.isClosed { return [] }
            _ = await log.waitForAppend(after: max(head, position))
        }
    }
}
