import Synchronization

/// Wakes subscribers when the writer moves the head, so a caught-up subscriber sleeps instead of polling.
///
/// A waiter names the head it has seen; it is resumed as soon as the head is beyond it, the log closes, or its
/// task is cancelled. There is no per-subscriber queue: after waking, a subscriber reads from the log itself.
public final class AppendNotifier: Sendable {
    private struct Waiter {
        let after: UInt64
        let continuation: CheckedContinuation<UInt64, Never>
    }

    private struct State {
        var head: UInt64
        var closed = false
        var nextID = 0
        var waiters: [Int: Waiter] = [:]
    }

    private let state: Mutex<State>

    init(head: UInt64) { state = Mutex(State(head: head)) }

    /// The latest published head.
    public var head: UInt64 { state.withLock { $0.head } }
    /// Whether the log has been closed.
    public var isClosed: Bool { state.withLock { $0.closed } }
    /// Subscribers currently asleep.
    public var waiterCount: Int { state.withLock { $0.waiters.count } }

    /// Returns once the head is beyond `seq` (immediately if it already is), or when the log closes or the task
    /// is cancelled; returns the head at that moment.
    public func wait(after seq: UInt64) async -> UInt64 {
        let id = state.withLock { state in
            defer { state.nextID += 1 }
            return state.nextID
        }
        return await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<UInt64, Never>) in
                let ready: UInt64? = state.withLock { state in
                    if state.head > seq || state.closed || Task.isCancelled { return state.head }
                    state.waiters[id] = Waiter(after: seq, continuation: continuation)
                    return nil
                }
                if let ready { continuation.resume(returning: ready) }
            }
        } onCancel: {
            let (waiter, head) = state.withLock { ($0.waiters.removeValue(forKey: id), $0.head) }
            waiter?.continuation.resume(returning: head)
        }
    }

    /// Publishes a new head and wakes the waiters it satisfies.
    func publish(head: UInt64) {
        let woken: [Waiter] = state.withLock { state in
            state.head = max(state.head, head)
            let ready = state.waiters.filter { $0.value.after < state.head }
            for id in ready.keys { state.waiters[id] = nil }
            return Array(ready.values)
        }
        for waiter in woken { waiter.continuation.resume(returning: head) }
    }

    /// Wakes everyone for good.
    func close() {
        let (woken, head): ([Waiter], UInt64) = state.withLock { state in
            state.closed = true
            defer { state.waiters = [:] }
            return (Array(state.waiters.values), state.head)
        }
        for waiter in woken { waiter.continuation.resume(returning: head) }
    }
}

extension EventLog {
    /// Sleeps until the head moves beyond `seq` (see ``AppendNotifier/wait(after:)``).
    public func waitForAppend(after seq: UInt64) async -> UInt64 { await notifier.wait(after: seq) }

    /// The notifier subscribers sleep on.
    public var appendNotifier: AppendNotifier { notifier }
}
