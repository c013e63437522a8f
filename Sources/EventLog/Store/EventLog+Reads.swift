extension EventLog {
    /// Oldest retained seq (`nil` if the log holds no events), head seq and epoch from one snapshot, e.g. for
    /// `_health` and cursor decisions (design §4).
    public func bounds() throws -> (oldest: UInt64?, head: UInt64, epoch: UInt64) {
        try read { txn in
            let state = try txn.state()
            return (try txn.oldestSeq(), state.head, state.epoch)
        }
    }

    /// Copies of up to `limit` events with seq > `cursor` (in `shard`, if given), in one read transaction.
    public func events(after cursor: UInt64, limit: Int, shard: ShardFilter? = nil) throws -> [StoredEvent] {
        try read { txn in try txn.events(after: cursor, limit: limit, shard: shard) }
    }

    /// The event with this seq, if retained and not scrubbed.
    public func event(seq: UInt64) throws -> StoredEvent? { try read { txn in try txn.event(seq: seq) } }

    /// The stored state of `did`.
    public func account(_ did: String) throws -> AccountState? { try read { txn in try txn.account(did) } }

    /// The stored state of `hostname`.
    public func host(_ hostname: String) throws -> HostState? { try read { txn in try txn.host(hostname) } }
}
