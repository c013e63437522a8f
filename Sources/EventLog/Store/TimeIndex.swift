/// "The first seq at or after time T" in O(log n).
///
/// Receive times are clamped to be non-decreasing in seq order, so the index stores one entry per distinct
/// time: `time (µs, big-endian) → first seq with that time`, appended in key order (cheap `MDB_APPEND`). The
/// entry found by a range seek at T is the answer; events before it all have earlier times.
enum TimeIndex {
    /// Records that `seq` is the first event with receive time `time` (call only when `time` grew).
    static func record(_ txn: LMDBTransaction, tables: LogTables, time: LogTime, seq: UInt64) throws {
        try BigEndian.withKey(UInt64(bitPattern: time.microseconds) ^ (1 << 63)) { key in
            try BigEndian.withKey(seq) { value in try txn.put(tables.time, key: key, value: value, flags: .append) }
        }
    }

    /// The first seq stored at or after `time` (`nil` if none), before skipping pruned events.
    static func lowerBound(_ txn: LMDBTransaction, tables: LogTables, time: LogTime) throws -> UInt64? {
        try txn.withCursor(tables.time) { cursor in
            try BigEndian.withKey(UInt64(bitPattern: time.microseconds) ^ (1 << 63)) { key in
                guard let entry = try cursor.seek(atOrAfter: key) else { return nil }
                guard let seq = BigEndian.key(entry.value) else { throw EventLogError.corruptRecord("time index") }
                return seq
            }
        }
    }

    /// Deletes entries that cover only events below `oldest`: an entry is dropped once the entry after it starts
    /// at or below `oldest`, so the entry covering `oldest` itself stays.
    static func prune(_ txn: LMDBTransaction, tables: LogTables, below oldest: UInt64) throws {
        try txn.withCursor(tables.time) { cursor in
            while try cursor.first() != nil {
                guard let next = try cursor.next() else { return }
                guard let nextSeq = BigEndian.key(next.value) else { throw EventLogError.corruptRecord("time index") }
                guard nextSeq <= oldest, try cursor.first() != nil else { return }
                try cursor.deleteCurrent()
            }
        }
    }
}
