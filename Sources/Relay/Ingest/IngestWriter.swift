import EventLog
import Logging
import Synchronization

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
final class IngestWriter: Sendable {
    private struct Pending: Sendable {
        let change: IngestChange
        /// Orders the change among those queued (see ``AccountStateCache``).
        let token: UInt64
        /// Resumed once the change is committed; nil for ``enqueue(_:)``.
        let continuation: CheckedContinuation<UInt64?, any Error>?
    }

    private struct State {
        var queue: [Pending] = []
        var wakeup: CheckedContinuation<Void, Never>?
        var stopped = false
        var nextToken: UInt64 = 0
    }

    private let log: EventLog
    /// The account records queued here, ahead of the log (the validator reads them).
    let accounts: AccountStateCache
    private let statistics: RelayStatistics?
    private let progress: @Sendable (String) -> HostProgress?
    private let metrics: RelayMetrics
    private let logger: Logger
    private let maxBatch: Int
    private let batchWindow: Duration
    private let state = Mutex(State())

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
        let wakeup = try state.withLock { state throws(EventLogError) -> CheckedContinuation<Void, Never>? in
            if state.stopped { throw .closed }
            state.nextToken += 1
            // Staged under the queue's lock, so tokens and staged records agree on the order.
            if let account = change.account { accounts.stage(account, token: state.nextToken) }
            state.queue.append(Pending(change: change, token: state.nextToken, continuation: continuation))
            let wakeup = state.wakeup
            state.wakeup = nil
            return wakeup
        }
        wakeup?.resume()
    }

    /// Runs the write loop until `stop()`; the queue is drained first.
    func run() async {
        while true {
            let batch = await nextBatch()
            guard let batch else { return }
            commit(batch)
        }
    }

    /// Stops the loop after the queued changes are written.
    func stop() {
        let wakeup = state.withLock { state -> CheckedContinuation<Void, Never>? in
            state.stopped = true
            let wakeup = state.wakeup
            state.wakeup = nil
            return wakeup
        }
        wakeup?.resume()
    }

    /// What the write loop finds in the queue.
    private enum Queued {
        case batch([Pending])
        case gather
        case empty
        case stopped
    }

    private func nextBatch() async -> [Pending]? {
        var gathered = false
        while true {
            let queued = state.withLock { state -> Queued in
                if state.queue.isEmpty { return state.stopped ? .stopped : .empty }
                // A small batch waits once for more: a transaction costs about the same for one event as for
                // dozens (page writes, the commit), and under load events arrive every few microseconds.
                if !gathered, !state.stopped, state.queue.count < self.maxBatch, self.batchWindow > .zero {
                    return .gather
                }
                if state.queue.count <= maxBatch {
                    // The usual case: take the whole queue without copying it.
                    var batch: [Pending] = []
                    batch.reserveCapacity(state.queue.count)
                    swap(&batch, &state.queue)
                    return .batch(batch)
                }
                let batch = Array(state.queue.prefix(maxBatch))
                state.queue.removeFirst(maxBatch)
                return .batch(batch)
            }
            switch queued {
            case .batch(let batch):
                return batch
            case .stopped:
                return nil
            case .gather:
                gathered = true
                try? await Task.sleep(for: batchWindow)
            case .empty:
                await withCheckedContinuation { continuation in
                    let ready = state.withLock { state -> Bool in
                        if !state.queue.isEmpty || state.stopped { return true }
                        state.wakeup = continuation
                        return false
                    }
                    if ready { continuation.resume() }
                }
            }
        }
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
            let queued = state.withLock { state -> [Pending] in
                state.stopped = true
                defer { state.queue.removeAll() }
                return state.queue
            }
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
