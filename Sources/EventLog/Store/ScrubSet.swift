/// Takedown scrubbing without rewriting the log.
///
/// Taking a DID down records "skip this DID's events up to seq S" (S = the head at that moment) in the `scrub`
/// table. Every read path consults this set: the stored 8-byte DID hash is checked first, and only on a hash
/// match are the stored DID bytes compared, so the cost per replayed event is one dictionary probe while any
/// takedown is active and nothing otherwise. Marking is O(1) whatever the number of events; the events
/// themselves stay until retention removes them, and a mark is dropped once retention passes its seq. The set
/// is small (one entry per takedown inside the retention window) and lives in memory as an immutable snapshot.
struct ScrubSet: Sendable {
    /// One scrubbed DID.
    struct Mark: Sendable, Equatable {
        var did: [UInt8]
        var throughSeq: UInt64
    }

    private(set) var byHash: [UInt64: [Mark]] = [:]

    var isEmpty: Bool { byHash.isEmpty }
    var count: Int { byHash.values.reduce(0) { $0 + $1.count } }

    /// Adds or raises the mark for `did`.
    mutating func insert(did: [UInt8], hash: UInt64, throughSeq: UInt64) {
        var marks = byHash[hash] ?? []
        if let index = marks.firstIndex(where: { $0.did == did }) {
            marks[index].throughSeq = max(marks[index].throughSeq, throughSeq)
        } else {
            marks.append(Mark(did: did, throughSeq: throughSeq))
        }
        byHash[hash] = marks
    }

    /// Removes every mark whose events are all gone (throughSeq < oldest retained seq).
    mutating func removeMarks(below oldest: UInt64) -> [[UInt8]] {
        var removed: [[UInt8]] = []
        for (hash, marks) in byHash {
            let keep = marks.filter { $0.throughSeq >= oldest }
            removed += marks.filter { $0.throughSeq < oldest }.map(\.did)
            byHash[hash] = keep.isEmpty ? nil : keep
        }
        return removed
    }

    /// The scrub seq for `did`, if it is marked.
    func throughSeq(did: [UInt8], hash: UInt64) -> UInt64? {
        byHash[hash]?.first(where: { $0.did == did })?.throughSeq
    }

    /// Whether event `seq` with DID hash `hash` must be skipped; `did` reads its DID only on a hash match.
    @inline(__always)
    func hides(seq: UInt64, hash: UInt64, did: () throws -> UnsafeRawBufferPointer) rethrows -> Bool {
        guard let marks = byHash[hash] else { return false }
        let bytes = try did()
        return marks.contains { seq <= $0.throughSeq && $0.did.elementsEqual(bytes) }
    }

    /// Loads every mark from the `scrub` table.
    static func load(_ txn: LMDBTransaction, tables: LogTables) throws -> ScrubSet {
        var set = ScrubSet()
        try txn.withCursor(tables.scrub) { cursor in
            var entry = try cursor.first()
            while let (key, value) = entry {
                guard let through = BigEndian.key(value) else { throw EventLogError.corruptRecord("scrub mark") }
                set.insert(did: Array(key), hash: ShardHash.of(didBytes: key), throughSeq: through)
                entry = try cursor.next()
            }
        }
        return set
    }
}
