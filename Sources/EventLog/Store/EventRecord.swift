/// Layout of one stored event (the value under its seq key in the `events` database).
///
/// A fixed 24-byte header keeps the metadata a scan needs at fixed offsets, so a shard scan reads only the 8-byte
/// DID hash of each event and never touches the frame:
///
/// | offset | size | field |
/// |---|---|---|
/// | 0 | 1 | record version (1) |
/// | 1 | 1 | ``EventKind`` |
/// | 2 | 2 | DID length (LE) |
/// | 4 | 4 | frame length (LE) |
/// | 8 | 8 | DID shard hash (LE) |
/// | 16 | 8 | receive time, µs since the Unix epoch (LE) |
/// | 24 | … | DID (UTF-8), then the complete frame (header + body) |
enum EventRecord {
    static let headerSize = 24
    static let version: UInt8 = 1
    static let hashOffset = 8
    static let timeOffset = 16
    /// DIDs are at most 2 KiB (atproto DID syntax).
    static let maxDIDLength = 2048

    static func size(didLength: Int, frameLength: Int) -> Int { headerSize + didLength + frameLength }

    /// Writes header, DID and frame into `out`, which has exactly `size(...)` bytes.
    @inline(__always)
    static func write(
        into out: UnsafeMutableRawBufferPointer, kind: EventKind, hash: UInt64, time: LogTime,
        did: UnsafeRawBufferPointer, frame: UnsafeRawBufferPointer
    ) {
        out.storeBytes(of: version, toByteOffset: 0, as: UInt8.self)
        out.storeBytes(of: kind.rawValue, toByteOffset: 1, as: UInt8.self)
        out.storeBytes(of: UInt16(did.count).littleEndian, toByteOffset: 2, as: UInt16.self)
        out.storeBytes(of: UInt32(frame.count).littleEndian, toByteOffset: 4, as: UInt32.self)
        out.storeBytes(of: hash.littleEndian, toByteOffset: hashOffset, as: UInt64.self)
        out.storeBytes(of: time.microseconds.littleEndian, toByteOffset: timeOffset, as: Int64.self)
        if let base = out.baseAddress {
            if let src = did.baseAddress { (base + headerSize).copyMemory(from: src, byteCount: did.count) }
            if let src = frame.baseAddress {
                (base + headerSize + did.count).copyMemory(from: src, byteCount: frame.count)
            }
        }
    }

    /// The DID hash of a stored event; `nil` if the value is too short to hold a header.
    @inline(__always)
    static func hash(in value: UnsafeRawBufferPointer) -> UInt64? {
        guard value.count >= headerSize else { return nil }
        return UInt64(littleEndian: value.loadUnaligned(fromByteOffset: hashOffset, as: UInt64.self))
    }

    /// The receive time of a stored event; `nil` if the value is too short to hold a header.
    @inline(__always)
    static func time(in value: UnsafeRawBufferPointer) -> LogTime? {
        guard value.count >= headerSize else { return nil }
        return LogTime(microseconds: Int64(littleEndian: value.loadUnaligned(fromByteOffset: timeOffset, as: Int64.self)))
    }

    /// Parses a stored event, checking that the lengths add up.
    @inline(__always)
    static func view(seq: UInt64, value: UnsafeRawBufferPointer) throws(EventLogError) -> EventView {
        guard value.count >= headerSize, value.load(fromByteOffset: 0, as: UInt8.self) == version else {
            throw .corruptRecord("event \(seq): bad header")
        }
        let didLength = Int(UInt16(littleEndian: value.loadUnaligned(fromByteOffset: 2, as: UInt16.self)))
        let frameLength = Int(UInt32(littleEndian: value.loadUnaligned(fromByteOffset: 4, as: UInt32.self)))
        guard headerSize + didLength + frameLength == value.count else {
            throw .corruptRecord("event \(seq): lengths do not match the stored size")
        }
        return EventView(
            seq: seq,
            kind: EventKind(rawValue: value.load(fromByteOffset: 1, as: UInt8.self)),
            shardHash: UInt64(littleEndian: value.loadUnaligned(fromByteOffset: hashOffset, as: UInt64.self)),
            receivedAt: LogTime(
                microseconds: Int64(littleEndian: value.loadUnaligned(fromByteOffset: timeOffset, as: Int64.self))),
            didBytes: UnsafeRawBufferPointer(rebasing: value[headerSize..<headerSize + didLength]),
            frame: UnsafeRawBufferPointer(rebasing: value[(headerSize + didLength)...]))
    }
}
