import CLMDB
import Foundation
import Logging
import Synchronization

/// The relay's event log: an append-only store of outgoing frames keyed by seq, plus account and host state, in
/// one LMDB environment (design §2–§5).
///
/// One writer appends batches with ``write(_:)`` (events, the account changes they imply and the host's upstream
/// cursor in one transaction); any number of readers scan with ``read(_:)`` or follow the head with
/// ``LogCursor``. See docs/eventlog.md.
public final class EventLog: @unchecked Sendable {
    /// How to open a log.
    public struct Configuration: Sendable {
        /// Data directory (created if missing); holds `eventlog.mdb`, its lock file and the epoch marker.
        public var directory: String
        /// Epoch for a new log; `nil` = whole days since 2023-01-01 UTC. Ignored when the log exists.
        public var epoch: UInt64?
        /// Virtual map size (the file grows only as needed). 1 TiB by default.
        public var mapSize: Int = 1 << 40
        /// Maximum concurrent read transactions.
        public var maxReaders: Int = 512
        /// When commits reach the disk.
        public var durability: Durability = .batch()
        /// What retention deletes.
        public var retention = RetentionPolicy()
        /// Wall clock (injectable for tests): receive times, the default epoch and retention age.
        public var clock: @Sendable () -> LogTime = { LogTime.now() }

        /// A configuration for `directory` with defaults.
        public init(directory: String) { self.directory = directory }
    }

    /// Name of the LMDB data file inside the directory.
    public static let fileName = "eventlog.mdb"
    /// liblmdb version string.
    public static var lmdbVersion: String { String(cString: mdb_version(nil, nil, nil)) }

    /// The configuration it was opened with.
    public let configuration: Configuration
    /// Path of the LMDB data file.
    public let path: String
    /// Whether ``init(_:)`` created a new log (rather than opening an existing one).
    public let wasCreated: Bool

    let env: LMDBEnvironment
    let tables: LogTables
    let notifier: AppendNotifier
    let logger = Logger(label: "tributary.eventlog")
    private let syncer: SyncScheduler
    private let ownerFD: Int32
    /// Serializes writers; guards `writerState` and `closed`.
    private let writeLock = NSLock()
    private var writerState: LogState
    private var closed = false
    private let published: Mutex<LogState>
    private let scrubSnapshot: Mutex<ScrubSet>

    /// Opens the log in `configuration.directory`, creating it if there is none.
    public init(_ configuration: Configuration) throws(EventLogError) {
        let directory = configuration.directory
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        } catch { throw .io(path: directory, reason: "cannot create the data directory: \(error)") }
        let ownerFD = try Self.lockOwnership(directory: directory)
        do {
            let path = (directory as NSString).appendingPathComponent(Self.fileName)
            let opened = try LogOpener.open(path: path, configuration: configuration)
            self.configuration = configuration
            self.path = path
            self.env = opened.env
            self.tables = opened.tables
            self.wasCreated = opened.created
            self.writerState = opened.state
            self.published = Mutex(opened.state)
            self.scrubSnapshot = Mutex(opened.scrub)
            self.notifier = AppendNotifier(head: opened.state.head)
            self.syncer = SyncScheduler(env: opened.env, mode: configuration.durability)
            self.ownerFD = ownerFD
        } catch {
            Foundation.close(ownerFD)
            throw error
        }
        syncer.start()
    }

    deinit { close() }

    /// One process (and one `EventLog`) per data directory: a second writer would assign the same seqs.
    private static func lockOwnership(directory: String) throws(EventLogError) -> Int32 {
        let lockPath = (directory as NSString).appendingPathComponent("eventlog.owner")
        let fd = open(lockPath, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw .io(path: lockPath, reason: String(cString: strerror(errno))) }
        guard flock(fd, LOCK_EX | LOCK_NB) == 0 else {
            Foundation.close(fd)
            throw .io(path: directory, reason: "the event log is already open (by this or another process)")
        }
        return fd
    }

    /// Flushes, wakes every waiting subscriber and closes the file. Waits for a running write to finish.
    public func close() {
        writeLock.lock()
        let wasClosed = closed
        closed = true
        writeLock.unlock()
        guard !wasClosed else { return }
        notifier.close()
        syncer.stop()
        env.close()
        Foundation.close(ownerFD)
    }

    /// The epoch recorded in `directory`'s marker file, if there is one.
    public static func epochMarker(directory: String) throws(EventLogError) -> UInt64? {
        try EpochMarker.read(directory: directory)
    }

    // MARK: state

    /// The current epoch.
    public var epoch: UInt64 { published.withLock { $0.epoch } }
    /// The last assigned seq (or `epoch << 40` if the current epoch has no event yet).
    public var headSeq: UInt64 { published.withLock { $0.head } }
    /// Bytes of stored events (retention counts these).
    public var storedBytes: UInt64 { published.withLock { $0.bytes } }
    /// Number of stored events.
    public var eventCount: UInt64 { published.withLock { $0.events } }
    /// Highest seq removed by retention (0 if none).
    public var prunedThrough: UInt64 { published.withLock { $0.prunedThrough } }
    /// Number of DIDs whose events replay currently skips.
    public var scrubbedDIDCount: Int { scrubSnapshot.withLock { $0.count } }

    // MARK: transactions

    /// Runs `body` in one write transaction and commits it: every append, state change and cursor in it becomes
    /// visible and durable together (per ``Durability``), or none does if `body` throws.
    ///
    /// Writes are serialized; keep `body` short and free of I/O. Subscribers are notified after the commit.
    @discardableResult
    public func write<R>(_ body: (inout LogWriteTransaction) throws -> R) throws -> R {
        writeLock.lock()
        var locked = true
        defer { if locked { writeLock.unlock() } }
        guard !closed else { throw EventLogError.closed }
        let before = writerState
        let scrubBefore = scrubSnapshot.withLock { $0 }
        var after = before
        var scrubbed = false
        let now = configuration.clock()
        let result: R
        do {
            result = try env.write { lmdb in
                var txn = LogWriteTransaction(lmdb: lmdb, tables: tables, state: before, now: now)
                let value = try body(&txn)
                try txn.finish(initial: before)
                after = txn.state
                let marks = txn.newScrubs
                if !marks.isEmpty {
                    // Publish before the commit: a reader that starts in between then skips too much of
                    // nothing, never too little.
                    scrubbed = true
                    scrubSnapshot.withLock { set in
                        for mark in marks { set.insert(did: mark.did, hash: mark.hash, throughSeq: mark.throughSeq) }
                    }
                }
                return value
            }
        } catch {
            if scrubbed { scrubSnapshot.withLock { $0 = scrubBefore } }
            throw error
        }
        writerState = after
        published.withLock { $0 = after }
        if after.epoch != before.epoch { recordEpoch(after.epoch) }
        writeLock.unlock()
        locked = false
        if after.head != before.head { notifier.publish(head: after.head) }
        syncer.didCommit()
        return result
    }

    /// Runs `body` in a read transaction (a consistent snapshot) that ends when `body` returns.
    public func read<R>(_ body: (borrowing LogReadTransaction) throws -> R) throws -> R {
        let scrub = scrubSnapshot.withLock { $0 }
        do {
            return try env.read { lmdb in try body(LogReadTransaction(lmdb: lmdb, tables: tables, scrub: scrub)) }
        } catch let error as LMDBError where error.code == EBADF {
            throw EventLogError.closed
        }
    }

    /// Moves the log to epoch max(epoch + 1, today's day count); the next seq is `newEpoch << 40 + 1`.
    @discardableResult
    public func bumpEpoch() throws -> UInt64 {
        try write { txn in try txn.bumpEpoch() }
    }

    /// Makes an epoch change durable, then records it in the marker file (under the writer lock).
    private func recordEpoch(_ epoch: UInt64) {
        do {
            try env.sync(force: true)
            try EpochMarker.write(directory: configuration.directory, epoch: epoch)
        } catch {
            // The LMDB commit stands; the marker is repaired from the log at the next open.
            logger.error("could not record epoch \(epoch) in the marker file: \(error)")
        }
    }

    // MARK: retention support

    /// Runs one bounded retention transaction under the writer lock (see ``prune(now:)``).
    func withWriterState<R>(_ body: (LMDBTransaction, inout LogState, inout ScrubSet) throws -> R) throws -> R {
        writeLock.lock()
        defer { writeLock.unlock() }
        guard !closed else { throw EventLogError.closed }
        var state = writerState
        var scrub = scrubSnapshot.withLock { $0 }
        let result = try env.write { lmdb in
            let value = try body(lmdb, &state, &scrub)
            if state != writerState {
                try lmdb.put(tables.meta, key: LogTables.stateKey, value: state.encoded())
            }
            return value
        }
        let changed = state != writerState
        writerState = state
        published.withLock { $0 = state }
        scrubSnapshot.withLock { $0 = scrub }
        if changed { syncer.didCommit() }
        return result
    }
}
