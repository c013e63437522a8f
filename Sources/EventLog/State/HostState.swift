/// A host's status as the relay tracks it (design §8).
public struct HostStatus: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    /// The status name.
    public let rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }

    /// Connected or connectable.
    public static let active = HostStatus(rawValue: "active")
    /// Not currently subscribed.
    public static let idle = HostStatus(rawValue: "idle")
    /// Unreachable; retried with backoff.
    public static let offline = HostStatus(rawValue: "offline")
    /// Over its limits for long.
    public static let throttled = HostStatus(rawValue: "throttled")
    /// Banned by an operator.
    public static let banned = HostStatus(rawValue: "banned")

    public var description: String { rawValue }
}

/// What the relay stores about one upstream host (the `hosts` table, keyed by hostname).
public struct HostState: Hashable, Sendable {
    /// `hostname[:port]`.
    public var hostname: String
    /// Current status.
    public var status: HostStatus
    /// Last upstream seq whose events are committed in the log (resume point); 0 = read from the beginning.
    public var cursor: UInt64
    /// Per-host account limit; `nil` = the relay's default.
    public var accountLimit: UInt64?
    /// Trusted hosts have no account limit.
    public var trusted: Bool
    /// Accounts the relay attributes to this host.
    public var accountCount: UInt64
    /// Events accepted from this host.
    public var eventCount: UInt64
    /// When the relay first saw the host.
    public var firstSeen: LogTime
    /// Last successful connection.
    public var lastConnected: LogTime?
    /// Bumped each time the host's sequence is found reset (upstream `FutureCursor`), so upstream seqs recorded
    /// before the reset are not compared with the new ones.
    public var generation: UInt64

    /// Creates a record.
    public init(
        hostname: String, status: HostStatus = .active, cursor: UInt64 = 0, accountLimit: UInt64? = nil,
        trusted: Bool = false, accountCount: UInt64 = 0, eventCount: UInt64 = 0, firstSeen: LogTime = .now(),
        lastConnected: LogTime? = nil, generation: UInt64 = 0
    ) {
        self.hostname = hostname
        self.status = status
        self.cursor = cursor
        self.accountLimit = accountLimit
        self.trusted = trusted
        self.accountCount = accountCount
        self.eventCount = eventCount
        self.firstSeen = firstSeen
        self.lastConnected = lastConnected
        self.generation = generation
    }

    private enum Tag {
        static let status: UInt8 = 1
        static let cursor: UInt8 = 2
        static let accountLimit: UInt8 = 3
        static let trusted: UInt8 = 4
        static let accountCount: UInt8 = 5
        static let eventCount: UInt8 = 6
        static let firstSeen: UInt8 = 7
        static let lastConnected: UInt8 = 8
        static let generation: UInt8 = 9
    }

    func encoded() -> [UInt8] {
        var writer = RecordWriter()
        writer.string(Tag.status, status.rawValue)
        writer.uint(Tag.cursor, cursor)
        if let accountLimit { writer.uint(Tag.accountLimit, accountLimit) }
        writer.bool(Tag.trusted, trusted)
        writer.uint(Tag.accountCount, accountCount)
        writer.uint(Tag.eventCount, eventCount)
        writer.int(Tag.firstSeen, firstSeen.microseconds)
        if let lastConnected { writer.int(Tag.lastConnected, lastConnected.microseconds) }
        if generation != 0 { writer.uint(Tag.generation, generation) }
        return writer.bytes
    }

    init(hostname: String, decoding value: UnsafeRawBufferPointer) throws(EventLogError) {
        let reader = try RecordReader(value, what: "host \(hostname)")
        self.hostname = hostname
        status = HostStatus(rawValue: try reader.requiredString(Tag.status))
        cursor = try reader.uint(Tag.cursor) ?? 0
        accountLimit = try reader.uint(Tag.accountLimit)
        trusted = try reader.bool(Tag.trusted) ?? false
        accountCount = try reader.uint(Tag.accountCount) ?? 0
        eventCount = try reader.uint(Tag.eventCount) ?? 0
        firstSeen = LogTime(microseconds: try reader.int(Tag.firstSeen) ?? 0)
        lastConnected = try reader.int(Tag.lastConnected).map { LogTime(microseconds: $0) }
        generation = try reader.uint(Tag.generation) ?? 0
    }
}
