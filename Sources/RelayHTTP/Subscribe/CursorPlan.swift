import EventLog

/// Where a new subscriber starts (design §4), decided from its cursor and the log's bounds.
public enum CursorPlan: Equatable, Sendable {
    /// Start after `seq` (replay everything retained after it, then live).
    case replay(after: UInt64)
    /// Send `OutdatedCursor` first, then replay everything retained.
    case outdated(message: String)
    /// Answer `FutureCursor` and close.
    case future(message: String)

    /// Decides the plan. `prunedThrough` is the highest seq retention removed (0 if none): events after it are
    /// all still there, so a cursor at or above it loses nothing. A cursor from an epoch older than the oldest
    /// retained event, in a log that never pruned (a rebuilt log), also lost whatever the old log held after it.
    public static func decide(cursor: UInt64?, head: UInt64, oldest: UInt64?, prunedThrough: UInt64, epoch: UInt64)
        -> CursorPlan
    {
        guard let cursor else { return .replay(after: head) }
        if cursor == 0 { return .replay(after: 0) }
        if cursor > head {
            return .future(message: "cursor \(cursor) is ahead of the stream head \(head)")
        }
        let fromVanishedEpoch = oldest.map { Seq.epoch(of: cursor) < Seq.epoch(of: $0) && cursor + 1 < $0 } ?? false
        if cursor < prunedThrough || (prunedThrough == 0 && fromVanishedEpoch) {
            let cursorEpoch = Seq.epoch(of: cursor)
            let detail = cursorEpoch == epoch
                ? "events after cursor \(cursor) were pruned"
                : "cursor \(cursor) is from epoch \(cursorEpoch); the stream is in epoch \(epoch)"
            return .outdated(message: "\(detail); replaying from the oldest retained event")
        }
        return .replay(after: cursor)
    }
}
