import CLMDB
import Foundation
import Synchronization

/// An open LMDB environment (one memory-mapped file) with LMDB's rules built in.
///
/// - One writer: write transactions are serialized by an in-process lock (LMDB's own lock also serializes
///   processes). A write transaction runs inside a synchronous closure, so it begins and commits on the same
///   thread, which LMDB's writer mutex requires.
/// - Readers never outlive their use: a read transaction exists only for the duration of the closure given to
///   ``read(_:)``. The environment is opened with `MDB_NOTLS`, so read transactions are not tied to a thread's
///   reader slot (Swift concurrency moves tasks between threads).
/// - Values handed out as `UnsafeRawBufferPointer` point into the map and are valid only inside the transaction
///   (see ``LMDBTransaction``); every other accessor copies.
public final class LMDBEnvironment: @unchecked Sendable {
    /// How to open an environment.
    public struct Options: Sendable {
        /// Virtual size of the map; the file only grows as pages are used. 1 TiB by default.
        public var mapSize: Int = 1 << 40
        /// Maximum number of named databases.
        public var maxDatabases: Int = 16
        /// Maximum number of concurrent read transactions (across processes).
        public var maxReaders: Int = 512
        /// `MDB_NOSYNC`: commits do not fsync; the owner calls ``sync(force:)``.
        public var noSync: Bool = false
        /// Open read-only.
        public var readOnly: Bool = false
        /// Permissions for a newly created file.
        public var fileMode: mode_t = 0o644

        /// Default options: 1 TiB map, 16 databases, 512 readers, fsync on commit.
        public init() {}
    }

    private struct Gate {
        var closed = false
        var active = 0
    }

    let handle: OpaquePointer
    /// Path of the data file.
    public let path: String
    /// The options it was opened with.
    public let options: Options
    private let writeLock = NSLock()
    private let gate = Mutex(Gate())

    /// Opens (creating if absent) the single-file environment at `path` (`MDB_NOSUBDIR`; the lock file is
    /// `path-lock`).
    public init(path: String, options: Options = Options()) throws(LMDBError) {
        var env: OpaquePointer?
        try LMDBError.check(mdb_env_create(&env), "mdb_env_create")
        guard let env else { throw LMDBError(code: ENOMEM, operation: "mdb_env_create") }
        do throws(LMDBError) {
            try LMDBError.check(mdb_env_set_mapsize(env, options.mapSize), "mdb_env_set_mapsize")
            try LMDBError.check(mdb_env_set_maxdbs(env, MDB_dbi(options.maxDatabases)), "mdb_env_set_maxdbs")
            try LMDBError.check(mdb_env_set_maxreaders(env, UInt32(options.maxReaders)), "mdb_env_set_maxreaders")
            var flags = UInt32(MDB_NOSUBDIR | MDB_NOTLS)
            if options.noSync { flags |= UInt32(MDB_NOSYNC) }
            if options.readOnly { flags |= UInt32(MDB_RDONLY) }
            try LMDBError.check(mdb_env_open(env, path, flags, options.fileMode), "mdb_env_open(\(path))")
            // Readers left in the lock table by a process that died would pin old pages forever.
            var dead: Int32 = 0
            try LMDBError.check(mdb_reader_check(env, &dead), "mdb_reader_check")
        } catch {
            mdb_env_close(env)
            throw error
        }
        self.handle = env
        self.path = path
        self.options = options
    }

    deinit {
        if !gate.withLock({ $0.closed }) { mdb_env_close(handle) }
    }

    /// Closes the environment once every running transaction has finished; later calls throw `EBADF`.
    public func close() {
        let alreadyClosed = gate.withLock { gate -> Bool in
            defer { gate.closed = true }
            return gate.closed
        }
        if alreadyClosed { return }
        while gate.withLock({ $0.active }) > 0 { usleep(200) }
        mdb_env_close(handle)
    }

    private func enter() throws(LMDBError) {
        let open = gate.withLock { gate -> Bool in
            if gate.closed { return false }
            gate.active += 1
            return true
        }
        if !open { throw LMDBError(code: EBADF, operation: "environment closed") }
    }

    private func leave() { gate.withLock { $0.active -= 1 } }

    /// Runs `body` in a read-only transaction that ends when `body` returns.
    public func read<R>(_ body: (LMDBTransaction) throws -> R) throws -> R {
        try enter()
        defer { leave() }
        var txn: OpaquePointer?
        try LMDBError.check(mdb_txn_begin(handle, nil, UInt32(MDB_RDONLY), &txn), "mdb_txn_begin(read)")
        guard let txn else { throw LMDBError(code: ENOMEM, operation: "mdb_txn_begin(read)") }
        defer { mdb_txn_abort(txn) }
        return try body(LMDBTransaction(handle: txn, isReadOnly: true))
    }

    /// Runs `body` in the write transaction and commits it; if `body` throws, the transaction is aborted and
    /// nothing it did is kept. Write transactions are serialized.
    public func write<R>(_ body: (LMDBTransaction) throws -> R) throws -> R {
        try enter()
        defer { leave() }
        writeLock.lock()
        defer { writeLock.unlock() }
        var txn: OpaquePointer?
        try LMDBError.check(mdb_txn_begin(handle, nil, 0, &txn), "mdb_txn_begin(write)")
        guard let txn else { throw LMDBError(code: ENOMEM, operation: "mdb_txn_begin(write)") }
        let result: R
        do {
            result = try body(LMDBTransaction(handle: txn, isReadOnly: false))
        } catch {
            mdb_txn_abort(txn)
            throw error
        }
        // mdb_txn_commit frees the transaction whether or not it succeeds.
        try LMDBError.check(mdb_txn_commit(txn), "mdb_txn_commit")
        return result
    }

    /// Opens (or with `create`, creates) a named database; must run inside a write transaction that commits.
    public func openDatabase(_ name: String?, create: Bool, in txn: LMDBTransaction) throws(LMDBError) -> LMDBDatabase {
        var dbi: MDB_dbi = 0
        let flags = create ? UInt32(MDB_CREATE) : 0
        try LMDBError.check(mdb_dbi_open(txn.handle, name, flags, &dbi), "mdb_dbi_open(\(name ?? "<main>"))")
        return LMDBDatabase(dbi: dbi, name: name)
    }

    /// Flushes committed data to disk (`mdb_env_sync`). Needed only with ``Options/noSync``. Safe to call from
    /// any thread, also while a write transaction runs.
    public func sync(force: Bool = true) throws(LMDBError) {
        try enter()
        defer { leave() }
        try LMDBError.check(mdb_env_sync(handle, force ? 1 : 0), "mdb_env_sync")
    }

    /// Page size, map size and the last page in use (the file's used size is `(lastPage + 1) × pageSize`).
    public func info() throws(LMDBError) -> (pageSize: Int, mapSize: Int, lastPage: Int) {
        try enter()
        defer { leave() }
        var stat = MDB_stat()
        try LMDBError.check(mdb_env_stat(handle, &stat), "mdb_env_stat")
        var info = MDB_envinfo()
        try LMDBError.check(mdb_env_info(handle, &info), "mdb_env_info")
        return (Int(stat.ms_psize), info.me_mapsize, info.me_last_pgno)
    }
}
