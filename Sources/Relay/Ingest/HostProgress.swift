import Synchronization

/// The upstream seqs of one host that are in flight, in arrival order, and how far the host's cursor may move.
///
/// Events of different DIDs finish out of order (verification is parallel), but a host's stored cursor may only
/// pass seqs whose events are fully handled — written or dropped — so after a crash nothing is skipped. The log
/// writer marks events done and takes the committable prefix inside the transaction that writes them.
final class HostProgress: Sendable {
    private struct State {
        var seqs: [UInt64] = []
        var done: [Bool] = []
        var head = 0
        var capacityWaiters: [CheckedContinuation<Void, Never>] = []
        var drainWaiters: [CheckedContinuation<Void, Never>] = []
        var outstanding: Int { seqs.count - head }
    }

    private let state = Mutex(State())
    /// In-flight events beyond which `waitForCapacity` suspends the reader.
    let capacity: Int

    init(capacity: Int) { self.capacity = max(1, capacity) }

    /// Events registered and not yet behind the committable cursor (open ones and done ones after an open one).
    var outstanding: Int { state.withLock { $0.outstanding } }

    /// Suspends while the host has `capacity` events in flight (backpressure on its socket).
    func waitForCapacity() async {
        // The usual case, without a continuation (its allocation, per event).
        if state.withLock({ $0.outstanding < capacity }) { return }
        await withCheckedContinuation { continuation in
            let ready = state.withLock { state -> Bool in
                if state.outstanding < capacity { return true }
                state.capacityWaiters.append(continuation)
                return false
            }
            if ready { continuation.resume() }
        }
    }

    /// Suspends until every registered event is handled (before reconnecting from the committed cursor).
    func waitUntilDrained() async {
        await withCheckedContinuation { continuation in
            let ready = state.withLock { state -> Bool in
                if state.outstanding == 0 { return true }
                state.drainWaiters.append(continuation)
                return false
            }
            if ready { continuation.resume() }
        }
    }

    /// Records an event read from the host; seqs arrive increasing per connection.
    func register(_ seq: UInt64) {
        state.withLock { state in
            if state.head > 0, state.head == state.seqs.count {
                state.seqs.removeAll(keepingCapacity: true)
                state.done.removeAll(keepingCapacity: true)
                state.head = 0
            }
            state.seqs.append(seq)
            state.done.append(false)
        }
    }

    /// Marks `seq` handled and returns the new committable cursor if the handled prefix grew.
    func complete(_ seq: UInt64) -> UInt64? {
        let (cursor, waiters) = state.withLock { state -> (UInt64?, [CheckedContinuation<Void, Never>]) in
            // Binary search in the outstanding range (seqs increase).
            var low = state.head
            var high = state.seqs.count
            while low < high {
                let mid = (low + high) / 2
                if state.seqs[mid] < seq { low = mid + 1 } else { high = mid }
            }
            if low < state.seqs.count, state.seqs[low] == seq { state.done[low] = true }
            var cursor: UInt64?
            while state.head < state.seqs.count, state.done[state.head] {
                cursor = state.seqs[state.head]
                state.head += 1
            }
            // Compact occasionally so the arrays do not grow without bound on a busy host.
            if state.head > 4096, state.head * 2 > state.seqs.count {
                state.seqs.removeFirst(state.head)
                state.done.removeFirst(state.head)
                state.head = 0
            }
            var waiters: [CheckedContinuation<Void, Never>] = []
            if state.outstanding < capacity, !state.capacityWaiters.isEmpty {
                waiters += state.capacityWaiters
                state.capacityWaiters.removeAll()
            }
            if state.outstanding == 0, !state.drainWaiters.isEmpty {
                waiters += state.drainWaiters
                state.drainWaiters.removeAll()
            }
            return (cursor, waiters)
        }
        for waiter in waiters { waiter.resume() }
        return cursor
    }
}
