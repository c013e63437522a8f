/// The write transaction handed to ``EventLog/write(_:)``: append events, change account and host state, move
/// host cursors — all committed together. Valid only inside that closure.
public struct LogWriteTransaction: ~Copyable {
    let lmdb: LMDBTransaction
    let tables: LogTables
    var state: LogState
    /// Clock reading taken when the transaction began: the default receive time.
    public let now: LogTime
    /// Takedown marks added in this transaction (published by the log around the commit).
    private(set) var newScrubs: [(did: [UInt8], hash: UInt64, throughSeq: UInt64)] = []
    /// Events appended in this transaction.
    public private(set) var appendedCount = 0
    /// Appended events not yet written as a block.
    private var pending: EventBlockBuilder?

    init(lmdb: LMDBTransaction, tables: LogTables, state: LogState, now: LogTime) {
        self.lmdb = lmdb
        self.tables = tables
        self.state = state
        self.now = now
    }

    /// The current epoch.
    public var epoch: UInt64 { state.epoch }
    /// The last assigned seq (including appends in this transaction).
    public var headSeq: UInt64 { state.head }

    /// Appends one event and returns its seq.
    ///
    /// The frame embeds the seq, so `frame` is called with the seq assigned to this event and returns the complete
    /// outgoing frame (header + body); the bytes are stored as they are and later sent without re-encoding.
    /// `receivedAt` defaults to ``now``; times are clamped so they never decrease along the log. Events are packed
    /// into blocks (see ``EventBlock``) written before the transaction commits.
    @discardableResult
    public mutating func append(
        kind: EventKind, did: String, receivedAt: LogTime? = nil, frame: (UInt64) throws -> [UInt8]
    ) throws -> UInt64 {
        guard Seq.counter(of: state.head) < Seq.maxCounter else {
            throw EventLogError.sequenceExhausted(epoch: state.epoch)
        }
        let didBytes = Array(did.utf8)
        guard !didBytes.isEmpty, didBytes.count <= EventBlock.maxDIDLength else {
            throw EventLogError.invalidArgument("a DID must be 1…\(EventBlock.maxDIDLength) bytes, got \(didBytes.count)")
        }
        let seq = state.head + 1
        var time = receivedAt ?? now
        if time < state.lastTime { time = state.lastTime }
        let bytes = try frame(seq)
        guard bytes.count <= Int(UInt32.max) - EventBlock.maxBytes else {
            throw EventLogError.invalidArgument("frame of \(bytes.count) bytes is too large")
        }
        let hash = didBytes.withUnsafeBytes { ShardHash.of(didBytes: $0) }
        var block = pending ?? EventBlockBuilder(firstSeq: seq)
        pending = nil  // keep the builder uniquely referenced while it grows
        block.append(.init(hash: hash, time: time, kind: kind, did: didBytes, frame: bytes))
        pending = block
        state.head = seq
        state.lastTime = time
        state.events += 1
        appendedCount += 1
        if block.isFull { try flush() }
        return seq
    }

    /// Writes the pending block, if any.
    mutating func flush() throws {
        guard let block = pending, let firstTime = block.firstTime else { return }
        pending = nil
        let size = block.encodedSize
        try BigEndian.withKey(block.firstSeq) { key in
            try lmdb.reserve(tables.events, key: key, size: size, flags: .append) { block.write(into: $0) }
        }
        try TimeIndex.record(lmdb, tables: tables, time: firstTime, firstSeq: block.firstSeq)
        state.bytes += UInt64(size + 8)
    }

    /// Moves to epoch max(epoch + 1, today's day count); the next append gets `newEpoch << 40 + 1`.
    /// The data directory's epoch marker is updated after the commit.
    @discardableResult
    public mutating func bumpEpoch() throws -> UInt64 {
        let next = max(state.epoch + 1, EpochClock.dayCount(at: now))
        guard next <= Seq.maxEpoch else { throw EventLogError.epochTooLarge(next) }
        // A block holds consecutive seqs, so the old epoch's events are written first.
        try flush()
        state.epoch = next
        state.head = Seq.make(epoch: next, counter: 0)
        return next
    }

    /// Takedown scrubbing: from the commit on, replay skips every event of `did` up to the current head (including
    /// events appended earlier in this transaction). Cost is independent of the number of events; they are
    /// removed by retention. Reversing a takedown does not bring them back.
    public mutating func scrubEvents(of did: String) throws {
        let key = try StateStore.key(did, "DID")
        var through = state.head
        if let existing = try lmdb.get(tables.scrub, key: key), let old = existing.withUnsafeBytes(BigEndian.key) {
            through = max(through, old)
        }
        try BigEndian.withKey(through) { value in
            try key.withUnsafeBytes { key in try lmdb.put(tables.scrub, key: key, value: value) }
        }
        newScrubs.append((key, key.withUnsafeBytes { ShardHash.of(didBytes: $0) }, through))
    }

    /// Writes the pending block and, if anything changed, the log state; called just before the commit.
    mutating func finish(initial: LogState) throws {
        try flush()
        if state != initial { try lmdb.put(tables.meta, key: LogTables.stateKey, value: state.encoded()) }
    }

    // MARK: account and host state

    /// The stored state of `did`.
    public func account(_ did: String) throws -> AccountState? { try StateStore.account(lmdb, tables, did: did) }
    /// Stores (replaces) an account record.
    public func putAccount(_ account: AccountState) throws { try StateStore.putAccount(lmdb, tables, account) }
    /// Deletes an account record; returns whether it existed.
    @discardableResult
    public func deleteAccount(_ did: String) throws -> Bool { try StateStore.deleteAccount(lmdb, tables, did: did) }

    /// The stored state of `hostname`.
    public func host(_ hostname: String) throws -> HostState? { try StateStore.host(lmdb, tables, hostname: hostname) }
    /// Stores (replaces) a host record.
    public func putHost(_ host: HostState) throws { try StateStore.putHost(lmdb, tables, host) }
    /// Deletes a host record; returns whether it existed.
    @discardableResult
    public func deleteHost(_ hostname: String) throws -> Bool {
        try StateStore.deleteHost(lmdb, tables, hostname: hostname)
    }

    /// Records the upstream cursor of `hostname` (creating an `active` host record if there is none), so the
    /// events of a batch and the position to resume from commit together.
    public func setHostCursor(_ hostname: String, to cursor: UInt64) throws {
        var host = try StateStore.host(lmdb, tables, hostname: hostname) ?? HostState(hostname: hostname, firstSeen: now)
        host.cursor = cursor
        try StateStore.putHost(lmdb, tables, host)
    }
}
