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
        let filterShard = shard.map { $0.count > 1 } ?? false
        let checkScrub = !scrub.isEmpty
        try lmdb.withCursor(tables.events) { cursor in
            var entry = try BigEndian.withKey(after + 1) { try cursor.seek(atOrAfter: $0) }
            while let (key, value) = entry {
                guard let seq = BigEndian.key(key) else { throw EventLogError.corruptRecord("event key") }
                if seq > through {
                    summary.reachedEnd = true
                    return
                }
                if summary.delivered >= limit || summary.scanned >= maxScanned { return }
                summary.scanned += 1
                summary.lastScannedSeq = seq
                if filterShard || checkScrub {
                    // Only the 8-byte hash is read for events that are filtered out.
                    guard let hash = EventRecord.hash(in: value) else {
                        throw EventLogError.corruptRecord("event \(seq): bad header")
                    }
                    if filterShard, let shard, !shard.contains(hash) {
                        entry = try cursor.next()
                        continue
                    }
                    if checkScrub, scrub.hides(seq: seq, hash: hash, value: value) {
                        entry = try cursor.next()
                        continue
                    }
                }
                summary.delivered += 1
                guard try body(EventRecord.view(seq: seq, value: value)) else { return }
                entry = try cursor.next()
            }
            summary.reachedEnd = true
        }
        return summary
    }
}
