import ATData

/// An account's hosting status (the `status` values of `#account`, plus `active`).
public struct AccountStatus: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    /// The lexicon string.
    public let rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }

    /// Active.
    public static let active = AccountStatus(rawValue: "active")
    /// Taken down by a moderator.
    public static let takendown = AccountStatus(rawValue: "takendown")
    /// Temporarily suspended.
    public static let suspended = AccountStatus(rawValue: "suspended")
    /// Deleted.
    public static let deleted = AccountStatus(rawValue: "deleted")
    /// Deactivated by its owner.
    public static let deactivated = AccountStatus(rawValue: "deactivated")
    /// Its repository could not be kept in sync.
    public static let desynchronized = AccountStatus(rawValue: "desynchronized")
    /// Over a rate or account limit.
    public static let throttled = AccountStatus(rawValue: "throttled")

    /// Whether `#account` reports `active: true` for this status.
    public var isActive: Bool { self == .active || self == .desynchronized || self == .throttled }

    public var description: String { rawValue }
}

/// What the relay knows about one account (stored in the `accounts` table, keyed by DID).
public struct AccountState: Hashable, Sendable {
    /// The account's DID.
    public var did: String
    /// Status set by this relay (e.g. a takedown); wins over ``upstreamStatus``.
    public var status: AccountStatus
    /// Status last reported by the account's host.
    public var upstreamStatus: AccountStatus
    /// Hostname of the account's current PDS.
    public var host: String
    /// Rev of the last accepted commit.
    public var rev: String?
    /// CID of the last accepted commit.
    public var commit: CID?
    /// MST root (`data`) of the last accepted commit.
    public var data: CID?
    /// Whether the account is held back by its host's account limit.
    public var throttled: Bool
    /// Upstream seq of the last event handled for this account from ``host`` (replay detection after a restart).
    public var hostSeq: UInt64?
    /// ``HostState/generation`` of ``host`` when ``hostSeq`` was recorded (a host's seq reset invalidates it).
    public var hostGeneration: UInt64

    /// Creates a record.
    public init(
        did: String, status: AccountStatus = .active, upstreamStatus: AccountStatus = .active, host: String,
        rev: String? = nil, commit: CID? = nil, data: CID? = nil, throttled: Bool = false, hostSeq: UInt64? = nil,
        hostGeneration: UInt64 = 0
    ) {
        self.did = did
        self.status = status
        self.upstreamStatus = upstreamStatus
        self.host = host
        self.rev = rev
        self.commit = commit
        self.data = data
        self.throttled = throttled
        self.hostSeq = hostSeq
        self.hostGeneration = hostGeneration
    }

    /// The status the relay reports: its own unless that is `active`, else the host's.
    public var effectiveStatus: AccountStatus { status != .active ? status : upstreamStatus }

    private enum Tag {
        static let status: UInt8 = 1
        static let upstreamStatus: UInt8 = 2
        static let host: UInt8 = 3
        static let rev: UInt8 = 4
        static let commit: UInt8 = 5
        static let data: UInt8 = 6
        static let throttled: UInt8 = 7
        static let hostSeq: UInt8 = 8
        static let hostGeneration: UInt8 = 9
    }

    func encoded() -> [UInt8] {
        var writer = RecordWriter(capacity: 160 + host.utf8.count)
        writer.string(Tag.status, status.rawValue)
        writer.string(Tag.upstreamStatus, upstreamStatus.rawValue)
        writer.string(Tag.host, host)
        if let rev { writer.string(Tag.rev, rev) }
        if let commit { commit.withUnsafeBytes { writer.bytes(Tag.commit, buffer: $0) } }
        if let data { data.withUnsafeBytes { writer.bytes(Tag.data, buffer: $0) } }
        writer.bool(Tag.throttled, throttled)
        if let hostSeq { writer.uint(Tag.hostSeq, hostSeq) }
        if hostGeneration != 0 { writer.uint(Tag.hostGeneration, hostGeneration) }
        return writer.bytes
    }

    init(did: String, decoding value: UnsafeRawBufferPointer) throws(EventLogError) {
        let reader = try RecordReader(value, what: "account \(did)")
        func cid(_ tag: UInt8) throws(EventLogError) -> CID? {
            guard let bytes = reader.bytes(tag) else { return nil }
            do { return try CID(bytes: bytes) } catch { throw .corruptRecord("account \(did): bad CID in field \(tag)") }
        }
        self.did = did
        status = AccountStatus(rawValue: try reader.requiredString(Tag.status))
        upstreamStatus = AccountStatus(rawValue: try reader.requiredString(Tag.upstreamStatus))
        host = try reader.requiredString(Tag.host)
        rev = try reader.string(Tag.rev)
        commit = try cid(Tag.commit)
        data = try cid(Tag.data)
        throttled = try reader.bool(Tag.throttled) ?? false
        hostSeq = try reader.uint(Tag.hostSeq)
        hostGeneration = try reader.uint(Tag.hostGeneration) ?? 0
    }
}
