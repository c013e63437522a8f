import CLMDB
import Foundation

/// A cursor over one database, valid only inside ``LMDBTransaction/withCursor(_:_:)``.
///
/// Entries are zero-copy views into the map: valid until the transaction ends or, in a write transaction, until
/// the next change through this cursor or the transaction.
public struct LMDBCursor {
    /// A key and value pointing into the map.
    public typealias Entry = (key: UnsafeRawBufferPointer, value: UnsafeRawBufferPointer)

    let handle: OpaquePointer
    let label: String

    @inline(__always)
    private func move(_ op: MDB_cursor_op, key: UnsafeRawBufferPointer? = nil) throws(LMDBError) -> Entry? {
        var k = MDB_val()
        if let key { k = MDB_val(mv_size: key.count, mv_data: UnsafeMutableRawPointer(mutating: key.baseAddress)) }
        var v = MDB_val()
        let rc = mdb_cursor_get(handle, &k, &v, op)
        if rc == MDB_NOTFOUND { return nil }
        try LMDBError.check(rc, "mdb_cursor_get(\(label))")
        return (UnsafeRawBufferPointer(start: k.mv_data, count: k.mv_size),
                UnsafeRawBufferPointer(start: v.mv_data, count: v.mv_size))
    }

    /// The first entry.
    public func first() throws(LMDBError) -> Entry? { try move(MDB_FIRST) }
    /// The last entry.
    public func last() throws(LMDBError) -> Entry? { try move(MDB_LAST) }
    /// The entry after the current one.
    public func next() throws(LMDBError) -> Entry? { try move(MDB_NEXT) }
    /// The entry before the current one.
    public func previous() throws(LMDBError) -> Entry? { try move(MDB_PREV) }
    /// The entry the cursor is on.
    public func current() throws(LMDBError) -> Entry? { try move(MDB_GET_CURRENT) }

    /// The first entry whose key is ≥ `key` (`MDB_SET_RANGE`).
    public func seek(atOrAfter key: UnsafeRawBufferPointer) throws(LMDBError) -> Entry? {
        try move(MDB_SET_RANGE, key: key)
    }

    /// The first entry whose key is ≥ `key` (copying convenience for the key).
    public func seek(atOrAfter key: some ContiguousBytes) throws(LMDBError) -> Entry? {
        let result: Result<Entry?, LMDBError> = key.withUnsafeBytes { key in
            Result { () throws(LMDBError) in try seek(atOrAfter: key) }
        }
        return try result.get()
    }

    /// Deletes the entry under the cursor. Reposition it (``first()``, ``seek(atOrAfter:)``) before reading again.
    public func deleteCurrent() throws(LMDBError) {
        try LMDBError.check(mdb_cursor_del(handle, 0), "mdb_cursor_del(\(label))")
    }
}
