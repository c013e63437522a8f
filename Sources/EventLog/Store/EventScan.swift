/// What a scan did, so a caller can resume exactly where it stopped.
public struct ScanSummary: Equatable, Sendable {
    /// Events passed to the callback.
    public var delivered: Int = 0
    /// Events looked at (including those filtered out by shard or takedown).
    public var scanned: Int = 0
    /// Seq of the last event looked at; resume with `after: lastScannedSeq`.
    public var lastScannedSeq: UInt64?
    /// Whether the scan ran out of events (or hit its upper bound) rather than a limit.
    public var reachedEnd = false
}

/// The scan loop shared by every read path.
enum EventScan {
    /// Positions `cursor` on the block holding `seq` (returning the index of `seq` in it), or on the first block
    /// after `seq` (index 0); `nil` if no stored event is ≥ `seq`.
    static func locate(_ cursor: LMDBCursor, seq: UInt64) throws -> (entry: LMDBCursor.Entry, index: Int)? {
        func block(_ entry: LMDBCursor.Entry) throws -> EventBlock.Reader {
            guard let first = BigEndian.key(entry.key) else { throw EventLogError.corruptRecord("event block key") }
            return try EventBlock.Reader(firstSeq: first, bytes: entry.value)
        }
        guard let following = try BigEndian.withKey(seq, { try cursor.seek(atOrAfter: $0) }) else {
            guard let last = try cursor.last() else { return nil }
            let reader = try block(last)
            return reader.lastSeq >= seq ? (last, Int(seq - reader.firstSeq)) : nil
        }
        if BigEndian.key(following.key) == seq { return (following, 0) }
        if let previous = try cursor.previous() {
            let reader = try block(previous)
            if reader.lastSeq >= seq { return (previous, Int(seq - reader.firstSeq)) }
        }
        // Step back onto the following block.
        guard let again = try BigEndian.withKey(seq, { try cursor.seek(atOrAfter: $0) }) else { return nil }
        return (again, 0)
    }

    /// Calls `body` for each event with `after < seq ≤ through` that is in `shard` and not scrubbed, in seq order,
    /// until `limit` events were delivered, `maxScanned` were looked at, or `body` returns false.
    static func run(
        _ lmdb: LMDBTransaction, tables: LogTables, scrub: ScrubSet, after: UInt64, through: UInt64,
        shard: ShardFilter?, limit: Int, maxScanned: Int, _ body: (EventView) throws -> Bool
    ) throws -> ScanSummary {
        var summary = ScanSummary()
        guard after < through, after < UInt64.max else {
            summary.reachedEnd = true
            return summary
        }
        let shard = shard.flatMap { $0.count > 1 ? $0 : nil }
        let checkScrub = !scrub.isEmpty
        try lmdb.withCursor(tables.events) { cursor in
            guard var (entry, index) = try locate(cursor, seq: after + 1) else {
                summary.reachedEnd = true
                return
            }
            while true {
                guard let first = BigEndian.key(entry.key) else { throw EventLogError.corruptRecord("event block key") }
                let block = try EventBlock.Reader(firstSeq: first, bytes: entry.value)
                while index < block.count {
                    let seq = first + UInt64(index)
                    if seq > through {
                        summary.reachedEnd = true
                        return
                    }
                    if summary.delivered >= limit || summary.scanned >= maxScanned { return }
                    summary.scanned += 1
                    summary.lastScannedSeq = seq
                    let current = index
                    index += 1
                    if shard != nil || checkScrub {
                        // Filtered-out events cost one 8-byte read from the block's table.
                        let hash = block.hash(current)
                        if let shard, !shard.contains(hash) { continue }
                        if checkScrub, try scrub.hides(seq: seq, hash: hash, did: { try block.didBytes(current) }) {
                            continue
                        }
                    }
                    summary.delivered += 1
                    guard try body(block.view(current)) else { return }
                }
                guard let next = try cursor.next() else {
                    summary.reachedEnd = true
                    return
                }
                entry = next
                index = 0
            }
        }
        return summary
    }
}
