/// When committed write transactions reach the disk.
///
/// All three modes keep the log consistent after a crash of the *process* (a kill, a panic): a committed
/// transaction is in the operating system's page cache the moment `commit` returns, and LMDB never overwrites
/// live pages. They differ in what a crash of the *machine* (power loss, kernel panic) can take back:
///
/// - ``always``: each commit fsyncs before returning. Nothing committed is lost. Costs one fsync (typically
///   0.1–10 ms) per write transaction, so throughput depends on batching.
/// - ``batch(maxDelay:)`` (default): commits return without fsync (`MDB_NOSYNC`); a flusher thread fsyncs as soon
///   as a commit arrives and the last fsync is at least `maxDelay` old, and at the latest `maxDelay` after an
///   unsynced commit. The writer never waits for the disk. A machine crash loses at most the last `maxDelay` of
///   commits (plus the fsync time); upstream cursors are stored in the same transactions, so the relay re-reads
///   exactly what was lost from its hosts.
/// - ``periodic(interval:)``: only the flusher fsyncs, every `interval`. Fewest fsyncs, widest loss window.
///
/// Without fsync LMDB relies on the file system writing pages in order for its atomicity after a machine crash;
/// on file systems that reorder writes, an unsynced tail may be damaged rather than merely lost. Use ``always``
/// where that matters more than throughput.
public enum Durability: Sendable, Equatable {
    /// fsync on every commit.
    case always
    /// fsync at most every `maxDelay` (default 100 ms) and within `maxDelay` of the last commit.
    case batch(maxDelay: Duration = .milliseconds(100))
    /// fsync every `interval` (default 1 s).
    case periodic(interval: Duration = .seconds(1))

    var usesNoSync: Bool { self != .always }
}
