/// A consistent read-only snapshot of the log, handed to ``EventLog/read(_:)`` and valid only inside it.
///
/// Every event read skips scrubbed (taken-down) events.
public struct LogReadTransaction: ~Copyable {
    let lmdb: LMDBTransaction
    let tables: LogTables
    let scrub: ScrubSet

    init(lmdb: LMDBTransaction, tables: LogTables, scrub: ScrubSet) {
        self.lmdb = lmdb
        self.tables = tables
        self.scrub = scrub
    }

    func state() throws -> LogState {
        try LogTables.stateKey.withUnsafeBytes { key in
            try lmdb.withValue(tables.meta, key: key) { value in
                guard let value else { throw EventLogError.corruptRecord("log state missing") }
                return try LogState(decoding: value)
            }
        }
    }

    /// The epoch in this snapshot.
    public func epoch() throws -> UInt64 { try state().epoch }
    /// The last assigned seq in this snapshot (or `epoch << 40` if the epoch has no event yet).
    public func headSeq() throws -> UInt64 { try state().head }
    /// Highest seq deleted by retention (0 if none).
    public func prunedThrough() throws -> UInt64 { try state().prunedThrough }

    /// The oldest retained seq, or `nil` if the log holds no events.
    public func oldestSeq() throws -> UInt64? {
        try lmdb.withCursor(tables.events) { cursor in try cursor.first().flatMap { BigEndian.key($0.key) } }
    }

    /// Number of retained events (scrubbed ones included).
    public func eventCount() throws -> Int { Int(try state().events) }

    /// Zero-copy scan: calls `body` for each event after `cursor` (up to `through`) in seq order, restricted to
    /// `shard`, until `limit` were delivered, `maxScanned` were looked at, or `body` returns false. The
    /// ``EventView`` points into the map and is valid only during the call.
    @discardableResult
    public func scan(
        after cursor: UInt64, through: UInt64 = .max, shard: ShardFilter? = nil, limit: Int = .max,
        maxScanned: Int = .max, _ body: (EventView) throws -> Bool
    ) throws -> ScanSummary {
        try EventScan.run(
            lmdb, tables: tables, scrub: scrub, after: cursor, through: through, shard: shard, limit: limit,
            maxScanned: maxScanned, body)
    }

    /// Copies of up to `limit` events with seq > `cursor` (in `shard`, if given).
    public func events(after cursor: UInt64, limit: Int, shard: ShardFilter? = nil) throws -> [StoredEvent] {
        var out: [StoredEvent] = []
        try scan(after: cursor, shard: shard, limit: limit) { event in
            out.append(event.copy())
            return true
        }
        return out
    }

    /// Copies of the events with `from ≤ seq ≤ through`.
    public func events(from: UInt64, through: UInt64, shard: ShardFilter? = nil, limit: Int = .max) throws
        -> [StoredEvent]
    {
        guard from > 0 else { return try events(after: 0, through: through, shard: shard, limit: limit) }
        return try events(after: from - 1, through: through, shard: shard, limit: limit)
    }

    private func events(after: UInt64, through: UInt64, shard: ShardFilter?, limit: Int) throws -> [StoredEvent] {
        var out: [StoredEvent] = []
        try scan(after: after, through: through, shard: shard, limit: limit) { event in
            out.append(event.copy())
            return true
        }
        return out
    }

    /// The event with this seq, if retained and not scrubbed.
    public func event(seq: UInt64) throws -> StoredEvent? {
        guard seq > 0 else { return nil }
        var found: StoredEvent?
        try scan(after: seq - 1, through: seq, limit: 1) { event in
            found = event.copy()
            return false
        }
        return found
    }

    /// The first retained seq whose receive time is at or after `time`, or `nil` if every event is older.
    public func firstSeq(atOrAfter time: LogTime) throws -> UInt64? {
        try TimeIndex.firstSeq(lmdb, tables: tables, atOrAfter: time)
    }

    // MARK: account and host state

    /// The stored state of `did`.
    public func account(_ did: String) throws -> AccountState? { try StateStore.account(lmdb, tables, did: did) }
    /// Accounts with DIDs after `after` in byte order (all if `nil`), at most `limit` (for listRepos paging).
    public func accounts(after: String? = nil, limit: Int) throws -> [AccountState] {
        try StateStore.accounts(lmdb, tables, after: after, limit: limit)
    }
    /// Number of account records.
    public func accountCount() throws -> Int { try lmdb.stat(tables.accounts).entries }

    /// The stored state of `hostname`.
    public func host(_ hostname: String) throws -> HostState? { try StateStore.host(lmdb, tables, hostname: hostname) }
    /// Hosts with names after `after` in byte order (all if `nil`), at most `limit` (for listHosts paging).
    public func hosts(after: String? = nil, limit: Int) throws -> [HostState] {
        try StateStore.hosts(lmdb, tables, after: after, limit: limit)
    }
    /// Number of host records.
    public func hostCount() throws -> Int { try lmdb.stat(tables.hosts).entries }
}
