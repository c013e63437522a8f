/// "The first seq at or after time T" in O(log n).
///
/// Receive times are clamped to be non-decreasing in seq order, and every event block has one index entry
/// `(first receive time in the block, first seq of the block)` (16 bytes, order-preserving) with an empty value,
/// written and deleted together with its block. The answer lies in the last block starting before T (found by a
/// seek and one step back, then a binary search over the block's times) or is the first seq of the next block.
enum TimeIndex {
    static func key(time: LogTime, seq: UInt64) -> [UInt8] {
        // Flipping the sign bit makes signed times sort correctly as unsigned big-endian bytes.
        withUnsafeBytes(of: (UInt64(bitPattern: time.microseconds) ^ (1 << 63)).bigEndian) { Array($0) }
            + withUnsafeBytes(of: seq.bigEndian) { Array($0) }
    }

    static func seq(fromKey key: UnsafeRawBufferPointer) throws(EventLogError) -> UInt64 {
        guard key.count == 16 else { throw .corruptRecord("time index key") }
        return BigEndian.uint64(key, at: 8)
    }

    /// Records a new block (keys grow with the log, so this is an append).
    static func record(_ txn: LMDBTransaction, tables: LogTables, time: LogTime, firstSeq: UInt64) throws {
        try txn.put(tables.time, key: key(time: time, seq: firstSeq), value: [UInt8](), flags: .append)
    }

    /// Forgets a deleted block.
    static func remove(_ txn: LMDBTransaction, tables: LogTables, time: LogTime, firstSeq: UInt64) throws {
        try txn.delete(tables.time, key: key(time: time, seq: firstSeq))
    }

    /// The first stored seq with receive time ≥ `time`, or `nil` if every event is older.
    static func firstSeq(_ txn: LMDBTransaction, tables: LogTables, atOrAfter time: LogTime) throws -> UInt64? {
        try txn.withCursor(tables.time) { cursor in
            let following = try cursor.seek(atOrAfter: key(time: time, seq: 0))
            let nextBlock = try following.map { try seq(fromKey: $0.key) }
            let earlier = following == nil ? try cursor.last() : try cursor.previous()
            if let earlier {
                let first = try seq(fromKey: earlier.key)
                let found: UInt64? = try BigEndian.withKey(first) { blockKey in
                    try txn.withValue(tables.events, key: blockKey) { value in
                        guard let value else { throw EventLogError.corruptRecord("time index names a missing block") }
                        let block = try EventBlock.Reader(firstSeq: first, bytes: value)
                        let index = block.firstIndex(atOrAfter: time)
                        return index < block.count ? first + UInt64(index) : nil
                    }
                }
                if let found { return found }
            }
            return nextBlock
        }
    }
}
