import DequeModule
import Synchronization

/// Runs work for one DID strictly in submission order while different DIDs run in parallel.
///
/// Work runs on a pool of long-lived worker tasks that grows when every worker is busy (a DID whose identity
/// lookup is slow holds one worker and, below `maxWorkers`, delays only its own events; at the cap, new work waits
/// for a worker) and shrinks when workers idle. A task per event cost the relay more than the work's bookkeeping:
/// its allocation, scheduling and teardown.
final class DIDSerializer: Sendable {
    typealias Work = @Sendable () async -> Void

    private struct State {
        /// Runnable work in submission order; its DID has no other work running or runnable.
        var runnable: Deque<(did: String, work: Work)> = []
        /// DIDs with work runnable or running, each with the work submitted after that.
        var busy: [String: Deque<Work>] = [:]
        /// Parked workers; resumed with true to look for work again, false to end (already uncounted).
        var idleWorkers: [CheckedContinuation<Bool, Never>] = []
        var workers = 0
        /// Set by ``close()``: workers end instead of parking.
        var closed = false
    }

    private let state = Mutex(State())
    /// The most worker tasks at once (each waits on at most one DID's work).
    let maxWorkers: Int
    /// Idle workers kept parked for the next burst; more than these end.
    let maxIdleWorkers: Int

    init(maxWorkers: Int = 8192, maxIdleWorkers: Int = 64) {
        self.maxWorkers = max(1, maxWorkers)
        self.maxIdleWorkers = max(0, maxIdleWorkers)
    }

    /// DIDs with work queued or running.
    var activeCount: Int { state.withLock { $0.busy.count } }

    /// Worker tasks alive (running or parked).
    var workerCount: Int { state.withLock { $0.workers } }

    /// Queues `work` after all earlier work of `did`.
    func submit(_ did: String, _ work: @escaping Work) {
        let (wake, spawn) = state.withLock { state -> (CheckedContinuation<Bool, Never>?, Bool) in
            if let index = state.busy.index(forKey: did) {
                state.busy.values[index].append(work)
                return (nil, false)
            }
            // updateValue/removeValue rather than subscript mutation: these run for every event, and the
            // subscript's in-place accessor allocated.
            state.busy.updateValue([], forKey: did)
            state.runnable.append((did, work))
            if let idle = state.idleWorkers.popLast() { return (idle, false) }
            guard state.workers < maxWorkers else { return (nil, false) }
            state.workers += 1
            return (nil, true)
        }
        wake?.resume(returning: true)
        if spawn { Task { await self.runWorker() } }
    }

    /// Ends the parked workers, and later ones once they run out of work (the relay stopped); work submitted
    /// afterwards still runs.
    func close() {
        let parked = state.withLock { state in
            state.closed = true
            state.workers -= state.idleWorkers.count
            defer { state.idleWorkers.removeAll() }
            return state.idleWorkers
        }
        for worker in parked { worker.resume(returning: false) }
    }

    private func runWorker() async {
        while let (did, work) = await nextWork() {
            await work()
            state.withLock { state in
                guard let index = state.busy.index(forKey: did) else { return }
                guard let next = state.busy.values[index].popFirst() else {
                    state.busy.remove(at: index)
                    return
                }
                // The DID's next work goes to the back of the line, so one busy DID cannot starve the others.
                state.runnable.append((did, next))
            }
        }
    }

    /// The next runnable work, parking while there is none; nil when this worker should end.
    private func nextWork() async -> (did: String, work: Work)? {
        while true {
            if let item = state.withLock({ $0.runnable.popFirst() }) { return item }
            // Whether to park, look again or end is decided under the lock that parks, so the idle cap holds when
            // several workers run out of work at once, and work that arrived meanwhile is not missed.
            let keepRunning = await withCheckedContinuation { (continuation: CheckedContinuation<Bool, Never>) in
                let decided = state.withLock { state -> Bool? in
                    if !state.runnable.isEmpty { return true }
                    if state.closed || state.idleWorkers.count >= maxIdleWorkers {
                        state.workers -= 1
                        return false
                    }
                    state.idleWorkers.append(continuation)
                    return nil
                }
                if let decided { continuation.resume(returning: decided) }
            }
            if !keepRunning { return nil }
        }
    }
}
