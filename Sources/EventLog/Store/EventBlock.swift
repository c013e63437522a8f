/// Layout of an event block: the value stored under the seq of its first event in the `events` table.
///
/// A write transaction's events are packed into blocks of consecutive seqs (one block per batch, split at
/// ``maxEvents`` / ``maxBytes`` and at epoch bumps). LMDB stores a block as one run of contiguous overflow pages,
/// so a replay reads the file sequentially instead of hopping between 4 KiB leaf nodes, and a shard scan reads
/// only the dense per-event table — 8 bytes of DID hash per event — never the frames.
///
/// | offset | size | field |
/// |---|---|---|
/// | 0 | 1 | block version (1) |
/// | 1 | 3 | reserved (0) |
/// | 4 | 4 | event count n (LE) |
/// | 8 | 8 | reserved (0) |
/// | 16 | 32 × n | table, one entry per event (below) |
/// | … | … | per event: DID (UTF-8) then the complete frame (header + body) |
///
/// Table entry: DID shard hash u64 (+0), receive time µs i64 (+8), offset of the DID from the block start u32
/// (+16), frame length u32 (+20), DID length u16 (+24), ``EventKind`` u8 (+26), 5 reserved bytes. All LE.
/// Event i of a block keyed `first` has seq `first + i`.
enum EventBlock {
    static let version: UInt8 = 1
    static let headerSize = 16
    static let entrySize = 32
    /// Events per block at most (bounds retention's granularity and a block's size).
    static let maxEvents = 512
    /// Payload bytes per block at most (before the table); a single larger event gets a block of its own.
    static let maxBytes = 256 * 1024
    /// DIDs are at most 2 KiB (atproto DID syntax).
    static let maxDIDLength = 2048

    /// A validated view of one stored block.
    struct Reader {
        let bytes: UnsafeRawBufferPointer
        let firstSeq: UInt64
        let count: Int

        init(firstSeq: UInt64, bytes: UnsafeRawBufferPointer) throws(EventLogError) {
            guard bytes.count >= headerSize, bytes[0] == version else {
                throw .corruptRecord("event block \(firstSeq): bad header")
            }
            let count = Int(UInt32(littleEndian: bytes.loadUnaligned(fromByteOffset: 4, as: UInt32.self)))
            guard count > 0, count <= bytes.count / entrySize, headerSize + count * entrySize <= bytes.count else {
                throw .corruptRecord("event block \(firstSeq): table of \(count) entries does not fit")
            }
            guard firstSeq <= UInt64.max - UInt64(count) else { throw .corruptRecord("event block \(firstSeq): seq range") }
            self.bytes = bytes
            self.firstSeq = firstSeq
            self.count = count
        }

        /// Seq of the last event.
        var lastSeq: UInt64 { firstSeq + UInt64(count - 1) }

        @inline(__always)
        private func entry(_ index: Int) -> Int { headerSize + index * entrySize }

        /// DID hash of event `index` (reads 8 bytes).
        @inline(__always)
        func hash(_ index: Int) -> UInt64 {
            UInt64(littleEndian: bytes.loadUnaligned(fromByteOffset: entry(index), as: UInt64.self))
        }

        /// Receive time of event `index`.
        @inline(__always)
        func time(_ index: Int) -> LogTime {
            LogTime(microseconds: Int64(littleEndian: bytes.loadUnaligned(fromByteOffset: entry(index) + 8, as: Int64.self)))
        }

        /// DID bytes of event `index`, bounds-checked against the block.
        @inline(__always)
        func didBytes(_ index: Int) throws(EventLogError) -> UnsafeRawBufferPointer {
            let base = entry(index)
            let offset = Int(UInt32(littleEndian: bytes.loadUnaligned(fromByteOffset: base + 16, as: UInt32.self)))
            let didLength = Int(UInt16(littleEndian: bytes.loadUnaligned(fromByteOffset: base + 24, as: UInt16.self)))
            guard offset >= headerSize + count * entrySize, didLength <= bytes.count - offset else {
                throw .corruptRecord("event \(firstSeq + UInt64(index)): DID outside its block")
            }
            return UnsafeRawBufferPointer(rebasing: bytes[offset..<offset + didLength])
        }

        /// A zero-copy view of event `index`, bounds-checked against the block.
        @inline(__always)
        func view(_ index: Int) throws(EventLogError) -> EventView {
            let base = entry(index)
            let offset = Int(UInt32(littleEndian: bytes.loadUnaligned(fromByteOffset: base + 16, as: UInt32.self)))
            let frameLength = Int(UInt32(littleEndian: bytes.loadUnaligned(fromByteOffset: base + 20, as: UInt32.self)))
            let didLength = Int(UInt16(littleEndian: bytes.loadUnaligned(fromByteOffset: base + 24, as: UInt16.self)))
            let seq = firstSeq + UInt64(index)
            guard offset >= headerSize + count * entrySize, didLength <= bytes.count - offset,
                  frameLength <= bytes.count - offset - didLength
            else { throw .corruptRecord("event \(seq): data outside its block") }
            let frameStart = offset + didLength
            return EventView(
                seq: seq, kind: EventKind(rawValue: bytes[base + 26]), shardHash: hash(index), receivedAt: time(index),
                didBytes: UnsafeRawBufferPointer(rebasing: bytes[offset..<frameStart]),
                frame: UnsafeRawBufferPointer(rebasing: bytes[frameStart..<frameStart + frameLength]))
        }

        /// Index of the first event with receive time ≥ `time` (times are non-decreasing), or `count`.
        func firstIndex(atOrAfter time: LogTime) -> Int {
            var low = 0
            var high = count
            while low < high {
                let mid = (low + high) / 2
                if self.time(mid) < time { low = mid + 1 } else { high = mid }
            }
            return low
        }
    }
}

/// Events of the current write transaction waiting to be written as one block.
struct EventBlockBuilder {
    struct Pending {
        var hash: UInt64
        var time: LogTime
        var kind: EventKind
        var did: [UInt8]
        var frame: [UInt8]
    }

    let firstSeq: UInt64
    private(set) var events: [Pending] = []
    private(set) var payloadBytes = 0

    init(firstSeq: UInt64) { self.firstSeq = firstSeq }

    var isEmpty: Bool { events.isEmpty }
    var isFull: Bool { events.count >= EventBlock.maxEvents || payloadBytes >= EventBlock.maxBytes }
    var encodedSize: Int { EventBlock.headerSize + events.count * EventBlock.entrySize + payloadBytes }
    var firstTime: LogTime? { events.first?.time }

    mutating func append(_ event: Pending) {
        payloadBytes += event.did.count + event.frame.count
        events.append(event)
    }

    /// Writes the block into `out`, which has exactly ``encodedSize`` bytes.
    func write(into out: UnsafeMutableRawBufferPointer) {
        guard let base = out.baseAddress else { return }
        out.storeBytes(of: UInt64(EventBlock.version).littleEndian, toByteOffset: 0, as: UInt64.self)
        out.storeBytes(of: UInt32(events.count).littleEndian, toByteOffset: 4, as: UInt32.self)
        out.storeBytes(of: UInt64(0), toByteOffset: 8, as: UInt64.self)
        var offset = EventBlock.headerSize + events.count * EventBlock.entrySize
        for (index, event) in events.enumerated() {
            let entry = EventBlock.headerSize + index * EventBlock.entrySize
            out.storeBytes(of: event.hash.littleEndian, toByteOffset: entry, as: UInt64.self)
            out.storeBytes(of: event.time.microseconds.littleEndian, toByteOffset: entry + 8, as: Int64.self)
            out.storeBytes(of: UInt32(offset).littleEndian, toByteOffset: entry + 16, as: UInt32.self)
            out.storeBytes(of: UInt32(event.frame.count).littleEndian, toByteOffset: entry + 20, as: UInt32.self)
            out.storeBytes(of: UInt64(0), toByteOffset: entry + 24, as: UInt64.self)
            out.storeBytes(of: UInt16(event.did.count).littleEndian, toByteOffset: entry + 24, as: UInt16.self)
            out.storeBytes(of: event.kind.rawValue, toByteOffset: entry + 26, as: UInt8.self)
            for part in [event.did, event.frame] {
                part.withUnsafeBytes { bytes in
                    if let source = bytes.baseAddress { (base + offset).copyMemory(from: source, byteCount: bytes.count) }
                }
                offset += part.count
            }
        }
    }
}
