/// The named databases of an event log, all in one LMDB environment so one write transaction can change any
/// of them.
struct LogTables: Sendable {
    /// Format marker and ``LogState``.
    let meta: LMDBDatabase
    /// first seq of a block (8 bytes, big-endian) → ``EventBlock``.
    let events: LMDBDatabase
    /// (first receive time of a block, its first seq) → empty (see ``TimeIndex``).
    let time: LMDBDatabase
    /// DID → ``AccountState`` record.
    let accounts: LMDBDatabase
    /// hostname → ``HostState`` record.
    let hosts: LMDBDatabase
    /// DID → highest seq whose events of that DID replay must skip (takedown scrubbing, see ``ScrubSet``).
    let scrub: LMDBDatabase

    static let names = ["meta", "events", "time", "accounts", "hosts", "scrub"]
    static let formatKey = Array("format".utf8)
    static let stateKey = Array("state".utf8)
    static let formatMagic = Array("tributary.eventlog".utf8)
    static let formatVersion: UInt32 = 1

    static var formatValue: [UInt8] {
        formatMagic + withUnsafeBytes(of: formatVersion.bigEndian) { Array($0) }
    }
}

/// The log's counters, stored under `meta/state` and rewritten by every write transaction that changes them.
struct LogState: Equatable, Sendable {
    /// Current epoch.
    var epoch: UInt64
    /// Last assigned seq, or `epoch << 40` when the epoch has no event yet; the next seq is `head + 1`.
    var head: UInt64
    /// Bytes of stored events (keys and values), for retention by size.
    var bytes: UInt64
    /// Latest receive time stored; later events are clamped to it so time never goes backwards in seq order.
    var lastTime: LogTime
    /// Highest seq retention has deleted (0 if none): a cursor below it has missed events.
    var prunedThrough: UInt64
    /// Number of stored events.
    var events: UInt64

    static let encodedSize = 49
    static let version: UInt8 = 1

    func encoded() -> [UInt8] {
        var out: [UInt8] = [Self.version]
        out.reserveCapacity(Self.encodedSize)
        for value in [epoch, head, bytes, UInt64(bitPattern: lastTime.microseconds), prunedThrough, events] {
            withUnsafeBytes(of: value.bigEndian) { out.append(contentsOf: $0) }
        }
        return out
    }

    init(epoch: UInt64, head: UInt64, bytes: UInt64, lastTime: LogTime, prunedThrough: UInt64, events: UInt64) {
        self.epoch = epoch
        self.head = head
        self.bytes = bytes
        self.lastTime = lastTime
        self.prunedThrough = prunedThrough
        self.events = events
    }

    init(decoding value: UnsafeRawBufferPointer) throws(EventLogError) {
        guard value.count == Self.encodedSize, value[0] == Self.version else {
            throw .corruptRecord("log state record has \(value.count) bytes or an unknown version")
        }
        epoch = BigEndian.uint64(value, at: 1)
        head = BigEndian.uint64(value, at: 9)
        bytes = BigEndian.uint64(value, at: 17)
        lastTime = LogTime(microseconds: Int64(bitPattern: BigEndian.uint64(value, at: 25)))
        prunedThrough = BigEndian.uint64(value, at: 33)
        events = BigEndian.uint64(value, at: 41)
        guard epoch <= Seq.maxEpoch, Seq.epoch(of: head) == epoch else {
            throw .corruptRecord("log state: head \(head) is not in epoch \(epoch)")
        }
    }
}

/// Big-endian integers for keys (memcmp order equals numeric order).
enum BigEndian {
    @inline(__always)
    static func uint64(_ buffer: UnsafeRawBufferPointer, at offset: Int = 0) -> UInt64 {
        UInt64(bigEndian: buffer.loadUnaligned(fromByteOffset: offset, as: UInt64.self))
    }

    /// The value of an 8-byte key, or `nil` if it is not 8 bytes.
    @inline(__always)
    static func key(_ buffer: UnsafeRawBufferPointer) -> UInt64? {
        buffer.count == 8 ? uint64(buffer) : nil
    }

    /// Calls `body` with the 8-byte big-endian encoding of `value`.
    @inline(__always)
    static func withKey<R>(_ value: UInt64, _ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        try withUnsafeBytes(of: value.bigEndian, body)
    }
}
