import CLMDB

/// A handle to one named database inside an ``LMDBEnvironment`` (an `MDB_dbi`).
///
/// Handles are opened once, in a write transaction that commits, and stay valid until the environment closes.
public struct LMDBDatabase: Sendable, Hashable {
    let dbi: MDB_dbi
    /// The name it was opened with (`nil` for the unnamed main database).
    public let name: String?

    init(dbi: MDB_dbi, name: String?) {
        self.dbi = dbi
        self.name = name
    }

    var label: String { name ?? "<main>" }
}

/// Counters LMDB keeps for one database (`mdb_stat`).
public struct LMDBStat: Sendable, Equatable {
    /// Number of key/value pairs.
    public var entries: Int
    /// Height of the B-tree.
    public var depth: Int
    /// Page size in bytes.
    public var pageSize: Int
    /// Leaf, branch and overflow pages in use.
    public var pages: Int
}

/// Flags for a put.
public struct LMDBPutFlags: OptionSet, Sendable {
    public let rawValue: UInt32
    public init(rawValue: UInt32) { self.rawValue = rawValue }
    /// Fail with `MDB_KEYEXIST` instead of replacing an existing key.
    public static let noOverwrite = LMDBPutFlags(rawValue: UInt32(MDB_NOOVERWRITE))
    /// The key sorts after every existing key: skips the search, and packs pages full (sequential keys).
    public static let append = LMDBPutFlags(rawValue: UInt32(MDB_APPEND))
}
