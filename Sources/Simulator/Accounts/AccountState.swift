import ATCrypto
import ATData
import ATRepo

/// Holds the current signing key so a key rotation reaches the repository writer's signer.
final class KeyBox {
    var key: PrivateKey
    init(_ key: PrivateKey) { self.key = key }
}

/// A simulated account inside the network actor: key, identity, hosting status and the real repository.
final class AccountState {
    let did: String
    let keyBox: KeyBox
    var handle: String
    var host: Int
    var active = true
    var status: String?
    let repo: RepoWriter
    /// Record paths in the repository (for picking update and delete targets), with O(1) removal.
    private(set) var paths: [String] = []
    private var pathIndex: [String: Int] = [:]

    init(did: String, key: PrivateKey, handle: String, host: Int) {
        self.did = did
        self.keyBox = KeyBox(key)
        self.handle = handle
        self.host = host
        let box = keyBox
        // A signing failure cannot happen with a valid key; an empty signature would fail verification visibly.
        self.repo = RepoWriter(did: did) { bytes in (try? box.key.sign(message: bytes)) ?? [] }
    }

    var key: PrivateKey { keyBox.key }

    /// Records the paths a successful commit created or deleted.
    func track(_ ops: [RepoOp]) {
        for op in ops {
            switch op.action {
            case .create:
                pathIndex[op.path] = paths.count
                paths.append(op.path)
            case .delete:
                guard let index = pathIndex.removeValue(forKey: op.path) else { continue }
                let last = paths.removeLast()
                if index < paths.count {
                    paths[index] = last
                    pathIndex[last] = index
                }
            case .update:
                break
            }
        }
        // The writer keeps the blocks of every version; dropping the unreferenced ones now and then keeps a long
        // run's memory proportional to the repositories (a failed compaction only leaves extra blocks).
        if repo.store.blocks.count > 2 * paths.count + 256 { try? repo.compact() }
    }

    /// A snapshot for callers outside the actor.
    func snapshot(hostname: String) -> SimulatedAccount {
        SimulatedAccount(
            did: did, handle: handle, signingKey: key.publicKey, hostIndex: host, hostname: hostname,
            rev: repo.head?.commit.rev, commitCID: repo.head?.cid, dataCID: repo.head?.commit.data,
            recordCount: paths.count, active: active, status: status)
    }
}

/// A read-only view of a simulated account.
public struct SimulatedAccount: Sendable, Equatable {
    /// The DID.
    public let did: String
    /// The handle (in the DID document's `alsoKnownAs`).
    public let handle: String
    /// The current `#atproto` key.
    public let signingKey: PublicKey
    /// Index of the host the account lives on.
    public let hostIndex: Int
    /// `127.0.0.1:<port>` of that host.
    public let hostname: String
    /// Rev of the latest good commit.
    public let rev: String?
    /// CID of the latest good commit.
    public let commitCID: CID?
    /// MST root of the latest good commit (the next commit's `prevData`).
    public let dataCID: CID?
    /// Records in the repository.
    public let recordCount: Int
    /// Hosting status at its host.
    public let active: Bool
    /// `#account` status string when not plainly active.
    public let status: String?
}
