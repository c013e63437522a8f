import Synchronization

/// Runs work for one DID strictly in submission order while different DIDs run in parallel.
///
/// Each submission becomes a task that first awaits the previous task of the same DID; a DID whose identity
/// lookup is slow therefore delays only its own events.
final class DIDSerializer: Sendable {
    private struct Tail: Sendable {
        let id: UInt64
        let task: Task<Void, Never>
    }

    private struct State {
        var tails: [String: Tail] = [:]
        var nextID: UInt64 = 0
    }

    private let state = Mutex(State())

    /// DIDs with work queued or running.
    var activeCount: Int { state.withLock { $0.tails.count } }

    /// Queues `work` after all earlier work of `did`.
    func submit(_ did: String, _ work: @escaping @Sendable () async -> Void) {
        state.withLock { state in
            state.nextID += 1
            let id = state.nextID
            let previous = state.tails[did]?.task
            let task = Task { [weak self] in
                await previous?.value
                await work()
                self?.finish(did, id: id)
            }
            state.tails[did] = Tail(id: id, task: task)
        }
    }

    private func finish(_ did: String, id: UInt64) {
        state.withLock { state in
            if state.tails[did]?.id == id { state.tails[did] = nil }
        }
    }
}
