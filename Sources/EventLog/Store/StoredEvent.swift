/// One event read from the log, copied out of the map.
public struct StoredEvent: Hashable, Sendable {
    /// Its sequence number.
    public var seq: UInt64
    /// Message type.
    public var kind: EventKind
    /// Shard hash of its DID.
    public var shardHash: UInt64
    /// When the relay received it.
    public var receivedAt: LogTime
    /// The account (`repo` of a `#commit`, `did` otherwise).
    public var did: String
    /// The complete outgoing frame (header + body), ready to send.
    public var frame: [UInt8]
}

/// A zero-copy view of a stored event, valid only inside the scan callback that received it.
public struct EventView {
    /// Its sequence number.
    public let seq: UInt64
    /// Message type.
    public let kind: EventKind
    /// Shard hash of its DID.
    public let shardHash: UInt64
    /// When the relay received it.
    public let receivedAt: LogTime
    /// The DID's UTF-8 bytes, pointing into the map.
    public let didBytes: UnsafeRawBufferPointer
    /// The frame bytes, pointing into the map: copy them (e.g. into an outgoing buffer) before the callback returns.
    public let frame: UnsafeRawBufferPointer

    /// The DID as a string.
    public var did: String { String(decoding: didBytes, as: UTF8.self) }

    /// A copy that outlives the transaction.
    public func copy() -> StoredEvent {
        StoredEvent(seq: seq, kind: kind, shardHash: shardHash, receivedAt: receivedAt, did: did, frame: Array(frame))
    }
}
