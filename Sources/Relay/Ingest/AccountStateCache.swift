import EventLog
import Synchronization

/// The newest account record of each DID the pipeline has decided on, ahead of the log.
///
/// Two parts: records queued for the log writer ("staged", kept until the transaction that writes them commits,
/// so a DID's next event builds on its previous one without waiting for that commit), and a bounded set of
/// committed records (so validation does not open an LMDB read transaction for every event). It is only right
/// because every account record the running relay writes goes through ``IngestWriter``, in its DID's lane.
final class AccountStateCache: Sendable {
    private struct Staged {
        var account: AccountState
        var token: UInt64
    }

    private struct State {
        var staged: [String: Staged] = [:]
        var committed: [String: AccountState] = [:]
    }

    private let state = Mutex(State())
    /// Committed records kept at most; when full, the committed set starts over (the log still has them all).
    let capacity: Int

    init(capacity: Int = 200_000) { self.capacity = max(0, capacity) }

    /// The DID's newest known record, or nil when the log must be read.
    func account(_ did: String) -> AccountState? {
        state.withLock { state in state.staged[did]?.account ?? state.committed[did] }
    }

    /// Records `account` as queued for the writer under `token` (increasing per queued change).
    func stage(_ account: AccountState, token: UInt64) {
        state.withLock { state in
            state.staged[account.did] = Staged(account: account, token: token)
        }
    }

    /// The change queued under `token` is committed: its record becomes the committed one unless a newer change
    /// of the same DID is queued.
    func committed(_ account: AccountState, token: UInt64) {
        state.withLock { state in
            // One lookup per table in the usual case (this runs for every event, on the writer's thread).
            guard let index = state.staged.index(forKey: account.did), state.staged.values[index].token == token
            else { return }
            state.staged.remove(at: index)
            guard capacity > 0 else { return }
            if state.committed.count >= capacity, state.committed[account.did] == nil {
                state.committed.removeAll(keepingCapacity: true)
            }
            state.committed.updateValue(account, forKey: account.did)
        }
    }

    /// Drops every staged record: their changes will not commit (the writer failed and stopped).
    func discardStaged() {
        state.withLock { $0.staged.removeAll() }
    }

    /// Records staged and committed (for tests and metrics).
    var counts: (staged: Int, committed: Int) { state.withLock { ($0.staged.count, $0.committed.count) } }
}
