import CLMDB
import Foundation

/// A read or write transaction, valid only inside the ``LMDBEnvironment/read(_:)`` or
/// ``LMDBEnvironment/write(_:)`` closure that received it. Do not store it or pass it to another task.
///
/// Zero-copy: ``withValue(_:key:_:)`` and cursors hand out `UnsafeRawBufferPointer`s into the map; they are valid
/// until the transaction ends (in a write transaction, until the next change to that database). Copy what must
/// outlive the closure. ``get(_:key:)`` copies.
public struct LMDBTransaction {
    let handle: OpaquePointer
    /// Whether this is a read-only transaction.
    public let isReadOnly: Bool

    /// Calls `body` with the value stored under `key` (or `nil`) without copying it.
    public func withValue<R>(
        _ db: LMDBDatabase, key: UnsafeRawBufferPointer, _ body: (UnsafeRawBufferPointer?) throws -> R
    ) throws -> R {
        var k = MDB_val(mv_size: key.count, mv_data: UnsafeMutableRawPointer(mutating: key.baseAddress))
        var v = MDB_val()
        let rc = mdb_get(handle, db.dbi, &k, &v)
        if rc == MDB_NOTFOUND { return try body(nil) }
        try LMDBError.check(rc, "mdb_get(\(db.label))")
        return try body(UnsafeRawBufferPointer(start: v.mv_data, count: v.mv_size))
    }

    /// A copy of the value stored under `key`, or `nil`.
    public func get(_ db: LMDBDatabase, key: some ContiguousBytes) throws -> [UInt8]? {
        try key.withUnsafeBytes { key in try withValue(db, key: key) { $0.map { Array($0) } } }
    }

    /// Stores `value` under `key`.
    public func put(
        _ db: LMDBDatabase, key: UnsafeRawBufferPointer, value: UnsafeRawBufferPointer, flags: LMDBPutFlags = []
    ) throws(LMDBError) {
        var k = MDB_val(mv_size: key.count, mv_data: UnsafeMutableRawPointer(mutating: key.baseAddress))
        var v = MDB_val(mv_size: value.count, mv_data: UnsafeMutableRawPointer(mutating: value.baseAddress))
        try LMDBError.check(mdb_put(handle, db.dbi, &k, &v, flags.rawValue), "mdb_put(\(db.label))")
    }

    /// Stores `value` under `key` (copying conveniences).
    public func put(
        _ db: LMDBDatabase, key: some ContiguousBytes, value: some ContiguousBytes, flags: LMDBPutFlags = []
    ) throws(LMDBError) {
        let result: Result<Void, LMDBError> = key.withUnsafeBytes { key in
            value.withUnsafeBytes { value in Result { () throws(LMDBError) in try put(db, key: key, value: value, flags: flags) } }
        }
        try result.get()
    }

    /// Reserves `size` bytes for the value of `key` and lets `fill` write them in place (`MDB_RESERVE`), saving
    /// the copy of a value assembled elsewhere. `fill` must write every byte.
    public func reserve(
        _ db: LMDBDatabase, key: UnsafeRawBufferPointer, size: Int, flags: LMDBPutFlags = [],
        _ fill: (UnsafeMutableRawBufferPointer) throws -> Void
    ) throws {
        var k = MDB_val(mv_size: key.count, mv_data: UnsafeMutableRawPointer(mutating: key.baseAddress))
        var v = MDB_val(mv_size: size, mv_data: nil)
        try LMDBError.check(
            mdb_put(handle, db.dbi, &k, &v, flags.rawValue | UInt32(MDB_RESERVE)), "mdb_put(reserve, \(db.label))")
        try fill(UnsafeMutableRawBufferPointer(start: v.mv_data, count: size))
    }

    /// Deletes `key`; returns whether it existed.
    @discardableResult
    public func delete(_ db: LMDBDatabase, key: UnsafeRawBufferPointer) throws(LMDBError) -> Bool {
        var k = MDB_val(mv_size: key.count, mv_data: UnsafeMutableRawPointer(mutating: key.baseAddress))
        let rc = mdb_del(handle, db.dbi, &k, nil)
        if rc == MDB_NOTFOUND { return false }
        try LMDBError.check(rc, "mdb_del(\(db.label))")
        return true
    }

    /// Deletes `key` (copying convenience); returns whether it existed.
    @discardableResult
    public func delete(_ db: LMDBDatabase, key: some ContiguousBytes) throws(LMDBError) -> Bool {
        let result: Result<Bool, LMDBError> = key.withUnsafeBytes { key in
            Result { () throws(LMDBError) in try delete(db, key: key) }
        }
        return try result.get()
    }

    /// Runs `body` with a cursor over `db` that is closed when `body` returns.
    public func withCursor<R>(_ db: LMDBDatabase, _ body: (LMDBCursor) throws -> R) throws -> R {
        var cursor: OpaquePointer?
        try LMDBError.check(mdb_cursor_open(handle, db.dbi, &cursor), "mdb_cursor_open(\(db.label))")
        guard let cursor else { throw LMDBError(code: ENOMEM, operation: "mdb_cursor_open(\(db.label))") }
        defer { mdb_cursor_close(cursor) }
        return try body(LMDBCursor(handle: cursor, label: db.label))
    }

    /// Entry and page counts of `db`.
    public func stat(_ db: LMDBDatabase) throws(LMDBError) -> LMDBStat {
        var s = MDB_stat()
        try LMDBError.check(mdb_stat(handle, db.dbi, &s), "mdb_stat(\(db.label))")
        return LMDBStat(
            entries: s.ms_entries, depth: Int(s.ms_depth), pageSize: Int(s.ms_psize),
            pages: s.ms_branch_pages + s.ms_leaf_pages + s.ms_overflow_pages)
    }
}
