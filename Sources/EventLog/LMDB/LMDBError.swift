import CLMDB
import Foundation

/// A failed liblmdb call: the library's return code, its message and the operation that failed.
public struct LMDBError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The return code (an `MDB_*` error or an errno value).
    public let code: Int32
    /// The library's text for `code` (`mdb_strerror`).
    public let message: String
    /// What we were doing, e.g. `mdb_put(events)`.
    public let operation: String

    /// Creates an error for `code` with the library's message.
    public init(code: Int32, operation: String) {
        self.code = code
        self.operation = operation
        self.message = String(cString: mdb_strerror(code))
    }

    public var description: String { "LMDB \(operation) failed (\(code)): \(message)" }

    /// The map (the configured maximum size) is full.
    public var isMapFull: Bool { code == MDB_MAP_FULL }
    /// The file is not an LMDB file, or its version is not supported.
    public var isInvalidFile: Bool { code == MDB_INVALID || code == MDB_VERSION_MISMATCH }
    /// LMDB found a page or structure it cannot trust.
    public var isCorruption: Bool { code == MDB_CORRUPTED || code == MDB_PAGE_NOTFOUND || code == MDB_PANIC }

    /// Throws unless `code` is `MDB_SUCCESS`.
    @inline(__always)
    static func check(_ code: Int32, _ operation: @autoclosure () -> String) throws(LMDBError) {
        if code != MDB_SUCCESS { throw LMDBError(code: code, operation: operation()) }
    }
}
