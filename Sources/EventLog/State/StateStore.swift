/// Reads and writes of account and host records, shared by read and write transactions.
enum StateStore {
    /// LMDB's key size limit (liblmdb's default build).
    static let maxKeyLength = 511

    static func key(_ text: String, _ what: String) throws(EventLogError) -> [UInt8] {
        let bytes = Array(text.utf8)
        guard !bytes.isEmpty, bytes.count <= maxKeyLength else {
            throw .invalidArgument("\(what) must be 1…\(maxKeyLength) bytes, got \(bytes.count)")
        }
        return bytes
    }

    private static func lookup<R>(
        _ txn: LMDBTransaction, _ db: LMDBDatabase, key: [UInt8], _ decode: (UnsafeRawBufferPointer) throws -> R
    ) throws -> R? {
        try key.withUnsafeBytes { key in try txn.withValue(db, key: key) { value in try value.map(decode) } }
    }

    /// Records with keys after `after` (all if `nil`), in key order, at most `limit`.
    private static func list<R>(
        _ txn: LMDBTransaction, _ db: LMDBDatabase, after: String?, limit: Int,
        _ decode: (String, UnsafeRawBufferPointer) throws -> R
    ) throws -> [R] {
        guard limit > 0 else { return [] }
        return try txn.withCursor(db) { cursor in
            var out: [R] = []
            var entry: LMDBCursor.Entry?
            if let after {
                let start = Array(after.utf8)
                entry = try cursor.seek(atOrAfter: start)
                if let current = entry, current.key.elementsEqual(start) { entry = try cursor.next() }
            } else {
                entry = try cursor.first()
            }
            while let (key, value) = entry, out.count < limit {
                out.append(try decode(String(decoding: key, as: UTF8.self), value))
                entry = try cursor.next()
            }
            return out
        }
    }

    // MARK: accounts

    static func account(_ txn: LMDBTransaction, _ tables: LogTables, did: String) throws -> AccountState? {
        try lookup(txn, tables.accounts, key: key(did, "DID")) { try AccountState(did: did, decoding: $0) }
    }

    static func putAccount(_ txn: LMDBTransaction, _ tables: LogTables, _ account: AccountState) throws {
        try txn.put(tables.accounts, key: key(account.did, "DID"), value: account.encoded())
    }

    static func deleteAccount(_ txn: LMDBTransaction, _ tables: LogTables, did: String) throws -> Bool {
        try txn.delete(tables.accounts, key: key(did, "DID"))
    }

    static func accounts(_ txn: LMDBTransaction, _ tables: LogTables, after: String?, limit: Int) throws
        -> [AccountState]
    {
        try list(txn, tables.accounts, after: after, limit: limit) { try AccountState(did: $0, decoding: $1) }
    }

    // MARK: hosts

    static func host(_ txn: LMDBTransaction, _ tables: LogTables, hostname: String) throws -> HostState? {
        try lookup(txn, tables.hosts, key: key(hostname, "hostname")) {
            try HostState(hostname: hostname, decoding: $0)
        }
    }

    static func putHost(_ txn: LMDBTransaction, _ tables: LogTables, _ host: HostState) throws {
        try txn.put(tables.hosts, key: key(host.hostname, "hostname"), value: host.encoded())
    }

    static func deleteHost(_ txn: LMDBTransaction, _ tables: LogTables, hostname: String) throws -> Bool {
        try txn.delete(tables.hosts, key: key(hostname, "hostname"))
    }

    static func hosts(_ txn: LMDBTransaction, _ tables: LogTables, after: String?, limit: Int) throws -> [HostState] {
        try list(txn, tables.hosts, after: after, limit: limit) { try HostState(hostname: $0, decoding: $1) }
    }
}
