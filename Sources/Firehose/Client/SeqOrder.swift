/// The per-connection rule that upstream seqs strictly increase.
///
/// The cursor sent on connect counts as the last seen seq: a server replays events after the cursor, and one that
/// also replays the cursor event itself (some PDSes do) has that duplicate skipped here.
public struct SeqOrder: Sendable, Equatable {
    /// The highest seq admitted on this connection (or the cursor it was opened with).
    public private(set) var last: Int64?

    /// Starts a connection opened with `cursor` (`nil`: live, no floor).
    public init(cursor: Int64?) {
        last = cursor
    }

    /// Whether `seq` moves the stream forward; if so it becomes the new floor.
    public mutating func admit(_ seq: Int64) -> Bool {
        if let last, seq <= last { return false }
        last = seq
        return true
    }
}
