import EventLog
import Foundation
import Logging

/// What one handled upstream event changes in the log.
struct IngestChange: Sendable {
    /// An event to append: its kind, DID and the outgoing frame for the seq the log assigns.
    struct Append: Sendable {
        let kind: EventKind
        let did: String
        let frame: @Sendable (UInt64) -> [UInt8]
    }

    /// The host the event came from and its upstream seq (nil for relay-originated changes such as takedowns).
    var host: String?
    var upstreamSeq: UInt64?
    /// The event to emit, if any.
    var append: Append?
    /// Account record to store, if changed.
    var account: AccountState?
    /// Account-count changes per host (a new account, a migration).
    var accountDeltas: [String: Int64] = [:]
    /// Scrub the DID's events from replay (takedown) before appending.
    var scrub: String?
    /// When the upstream frame was read (for the ingest latency metric).
    var receivedAt: ContinuousClock.Instant?
}

/// The single log writer: batches changes from all hosts into one LMDB transaction each, with the host cursors
/// that those changes allow (design §2), then resumes the submitters.
///
/// It runs on a thread of its own, not on the cooperative pool: a write transaction blocks on the disk (page
/// writes, pages under writeback by the fsync thread), and a pool thread blocked there is a core the validation
/// lanes lose. The batch window is a plain sleep of that thread, not a timer of the pool.
final class IngestWriter: @unchecked Sendable {
    private struct Pending: Sendable {
        let change: IngestChange
        /// Orders the change among those queued (see ``AccountStateCache``).
        let token: UInt64
        /// Resumed once the change is committed; nil for ``enqueue(_:)``.
        let continuation: CheckedContinuation<UInt64?, any Error>?
    }

    private let condition = NSCondition()
    // Guarded by `condition`.
    private var queue: [Pending] = []
    private var stopped = false
    private var nextToken: UInt64 = 0
    private var writerWaiting = false

    private let log: EventLog
    /// The account records queued here, ahead of the log (the validator reads them).
    let accounts: AccountStateCache
    private let statistics: RelayStatistics?
    private let progress: @Sendable (String) -> HostProgress?
    private let metrics: RelayMetrics
    private let logger: Logger
    private let maxBatch: Int
    private let batchWindow: Duration

    /// `batchWindow`: how long a batch smaller than `maxBatch` waits for more changes before it is committed.
    init(log: EventLog, maxBatch: Int, batchWindow: Duration = .zero, accounts: AccountStateCache = .init(),
         metrics: RelayMetrics, statistics: RelayStatistics? = nil, logger: Logger,
         progress: @escaping @Sendable (String) -> HostProgress?)
    {
        self.log = log
        self.accounts = accounts
        self.statistics = statistics
        self.maxBatch = max(1, maxBatch)
        self.batchWindow = max(.zero, batchWindow)
        self.metrics = metrics
        self.logger = logger
        self.progress = progress
    }

    /// Queues a change and returns once it is committed (the seq of its appended event, if any).
    @discardableResult
    func submit(_ change: IngestChange) async throws -> UInt64? {
        try await withCheckedThrowingContinuation { continuation in
            do {
                try queue(change, continuation: continuation)
            } catch {
                continuation.resume(throwing: error)
            }
        }
    }

    /// Queues a change without waiting for its commit: its account record is visible through ``accounts`` at
    /// once, so the DID's next event can be validated while this one waits for its batch.
    func enqueue(_ change: IngestChange) throws(EventLogError) {
        try queue(change, continuation: nil)
    }

    private func queue(_ change: IngestChange, continuation: CheckedContinuation<UInt64?, any Error>?)
        throws(EventLogError)
    {
        condition.lock()
        defer { condition.unlock() }
        if stopped { throw .closed }
        nextToken += 1
        // Staged under the queue's lock, so tokens and staged records agree on the order.
        if let account = change.account { accounts.stage(account, token: nextToken) }
        queue.append(Pending(change: change, token: nextToken, continuation: continuation))
        if writerWaiting { condition.signal() }
    }

    /// Runs the write loop (on the writer's thread) until `stop()`; the queue is drained first.
    func run() async {
        await withCheckedContinuation { (finished: CheckedContinuation<Void, Never>) in
            let thread = Thread { [self] in
                while let batch = nextBatch() { commit(batch) }
                finished.resume()
            }
            thread.name = "ingest-writer"
            thread.start()
        }
    }

    /// Stops the loop after the queued changes are written.
    func stop() {
        condition.lock()
        stopped = true
        condition.signal()
        condition.unlock()
    }

    /// The next batch, waiting for one; nil once stopped and drained. Runs on the writer's thread.
    private func nextBatch() -> [Pending]? {
        condition.lock()
        defer { condition.unlock() }
        while queue.isEmpty {
            if stopped { return nil }
            writerWaiting = true
            condition.wait()
            writerWaiting = false
        }
        // A small batch waits once for more: a transaction costs about the same for one event as for dozens (page
        // writes, the commit), and under load events arrive every few microseconds.
        if !stopped, batchWindow > .zero, queue.count < maxBatch {
            condition.unlock()
            let (seconds, attoseconds) = batchWindow.components
            Thread.sleep(forTimeInterval: Double(seconds) + Double(attoseconds) / 1e18)
            condition.lock()
        }
        if queue.count <= maxBatch {
            // The usual case: take the whole queue without copying it.
            var batch: [Pending] = []
            batch.reserveCapacity(queue.count)
            swap(&batch, &queue)
            return batch
        }
        let batch = Array(queue.prefix(maxBatch))
        queue.removeFirst(maxBatch)
        return batch
    }

    private func commit(_ batch: [Pending]) {
        var seqs = [UInt64?](repeating: nil, count: batch.count)
        do {
            try log.write { txn in
                var cursors: [String: UInt64] = [:]
                var accepted: [String: UInt64] = [:]
                var deltas: [String: Int64] = [:]
                for (index, pending) in batch.enumerated() {
                    let change = pending.change
                    if let did = change.scrub { try txn.scrubEvents(of: did) }
                    if let account = change.account { try txn.putAccount(account) }
                    if let append = change.append {
                        seqs[index] = try txn.append(kind: append.kind, did: append.did, frame: append.frame)
                        if let host = change.host { accepted[host, default: 0] += 1 }
                    }
                    for (host, delta) in change.accountDeltas { deltas[host, default: 0] += delta }
                    if let host = change.host, let seq = change.upstreamSeq,
                        let cursor = progress(host)?.complete(seq)
                    {
                        cursors[host] = cursor
                    }
                }
                for host in Set(cursors.keys).union(accepted.keys).union(deltas.keys) {
                    guard var record = try txn.host(host) else { continue }
                    if let cursor = cursors[host] { record.cursor = cursor }
                    record.eventCount += accepted[host] ?? 0
                    let delta = deltas[host] ?? 0
                    record.accountCount = UInt64(max(0, Int64(clamping: record.accountCount) + delta))
                    try txn.putHost(record)
                }
            }
        } catch {
            // The batch's seqs were already marked handled in their hosts' progress, so a later batch could move a
            // cursor past them: stop writing altogether. Nothing more is committed; a restart re-reads from the
            // stored cursors (disk full or a full LMDB map need the operator anyway).
            logger.critical("log write failed; ingest stops writing until restart", metadata: ["error": "\(error)"])
            condition.lock()
            stopped = true
            let queued = queue
            queue.removeAll()
            accounts.discardStaged()
            condition.unlock()
            for pending in batch + queued { pending.continuation?.resume(throwing: error) }
            return
        }
        metrics.batchSize.record(batch.count)
        let now = ContinuousClock.now
        for (index, pending) in batch.enumerated() {
            let change = pending.change
            if let account = change.account { accounts.committed(account, token: pending.token) }
            if let append = change.append, seqs[index] != nil, change.host != nil {
                metrics.emit(append.kind.description)
                statistics?.emitted(commit: append.kind == .commit)
                if let received = change.receivedAt {
                    metrics.ingestLatency.recordNanoseconds(Self.nanoseconds(received.duration(to: now)))
                }
            }
            pending.continuation?.resume(returning: seqs[index])
        }
    }

    private static func nanoseconds(_ duration: Duration) -> Int64 {
        let (seconds, attoseconds) = duration.components
        return seconds * 1_000_000_000 + attoseconds / 1_000_000_000
    }
}
