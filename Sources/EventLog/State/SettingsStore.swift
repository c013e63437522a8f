/// Small operator settings (domain bans, the public-crawl switch, …) kept in the `meta` table under `setting:<name>`,
/// so they change in the same transactions as the rest of the relay's state and survive restarts.
enum SettingsStore {
    /// Longest setting name.
    static let maxNameLength = 200
    /// Largest setting value (settings are small; bulk data belongs in its own table).
    static let maxValueBytes = 1 << 20

    static func key(_ name: String) throws(EventLogError) -> [UInt8] {
        let bytes = Array(name.utf8)
        guard !bytes.isEmpty, bytes.count <= maxNameLength else {
            throw .invalidArgument("a setting name must be 1…\(maxNameLength) bytes, got \(bytes.count)")
        }
        return Array("setting:".utf8) + bytes
    }

    static func get(_ txn: LMDBTransaction, _ tables: LogTables, name: String) throws -> [UInt8]? {
        try key(name).withUnsafeBytes { key in try txn.withValue(tables.meta, key: key) { $0.map { Array($0) } } }
    }

    static func put(_ txn: LMDBTransaction, _ tables: LogTables, name: String, value: [UInt8]) throws {
        guard value.count <= maxValueBytes else {
            throw EventLogError.invalidArgument("setting \(name) is \(value.count) bytes, over \(maxValueBytes)")
        }
        try txn.put(tables.meta, key: key(name), value: value)
    }

    static func delete(_ txn: LMDBTransaction, _ tables: LogTables, name: String) throws {
        _ = try txn.delete(tables.meta, key: key(name))
    }
}

extension LogWriteTransaction {
    /// The stored value of setting `name`.
    public func setting(_ name: String) throws -> [UInt8]? { try SettingsStore.get(lmdb, tables, name: name) }
    /// Stores setting `name` (at most 1 MiB).
    public func putSetting(_ name: String, _ value: [UInt8]) throws {
        try SettingsStore.put(lmdb, tables, name: name, value: value)
    }
    /// Removes setting `name`.
    public func deleteSetting(_ name: String) throws { try SettingsStore.delete(lmdb, tables, name: name) }
}

extension LogReadTransaction {
    /// The stored value of setting `name`.
    public func setting(_ name: String) throws -> [UInt8]? { try SettingsStore.get(lmdb, tables, name: name) }
}
