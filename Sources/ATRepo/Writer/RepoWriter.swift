import ATData

/// One write to apply to a repository.
public enum RepoWrite: Sendable {
    case create(path: String, record: [UInt8])
    case update(path: String, record: [UInt8])
    case delete(path: String)

    var path: String {
        switch self {
        case .create(let path, _), .update(let path, _), .delete(let path): path
        }
    }
}

/// What one applied batch of writes produced: everything a Sync 1.1 `#commit` carries.
public struct RepoCommitProduct: Sendable {
    /// The signed commit.
    public let commit: Commit
    /// Its CID.
    public let commitCID: CID
    /// The rev of the previous commit (nil for the first).
    public let since: String?
    /// The MST root before this commit.
    public let prevData: CID
    /// The ops, with `prev` set on updates and deletes.
    public let ops: [RepoOp]
    /// The CAR slice: commit block, new MST nodes, unchanged nodes needed for inversion, new record blocks.
    public let blocks: [UInt8]
    /// CIDs of the MST nodes in `blocks` (for tests of proof completeness).
    public let proofNodeCIDs: Set<CID>
}

/// A repository held in memory that applies writes and produces signed commits with their proof blocks
/// (the simulator's PDS and the tests use it).
public final class RepoWriter {
    /// The account DID.
    public let did: String
    /// Every block of the current repository (MST nodes of all versions, records, commits).
    public private(set) var store = BlockStore()
    /// The current tree (fully loaded).
    public private(set) var tree = MST()
    /// The current commit, if any.
    public private(set) var head: (commit: Commit, cid: CID)?
    private let sign: ([UInt8]) -> [UInt8]

    /// A new, empty repository; `sign` returns a 64-byte low-S signature over the given bytes.
    public init(did: String, sign: @escaping ([UInt8]) -> [UInt8]) {
        self.did = did
        self.sign = sign
    }

    /// The current MST root.
    public var dataCID: CID { tree.rootCID() }

    /// Applies a batch of writes as one commit with the given rev (a TID greater than the current rev).
    public func apply(_ writes: [RepoWrite], rev: String) throws(MSTError) -> RepoCommitProduct {
        let prevData = tree.rootCID()
        var ops: [RepoOp] = []
        var recordBlocks: [CID: [UInt8]] = [:]
        for write in writes {
            let key = Array(write.path.utf8)
            switch write {
            case .create(let path, let record):
                let cid = store.put(record)
                recordBlocks[cid] = record
                try tree.insert(key, value: cid)
                ops.append(RepoOp(action: .create, path: path, cid: cid, prev: nil))
            case .update(let path, let record):
                let cid = store.put(record)
                recordBlocks[cid] = record
                let previous = try tree.update(key, value: cid)
                ops.append(RepoOp(action: .update, path: path, cid: cid, prev: previous))
            case .delete(let path):
                let previous = try tree.delete(key)
                ops.append(RepoOp(action: .delete, path: path, cid: nil, prev: previous))
            }
        }
        var newNodes: [CID: [UInt8]] = [:]
        let data = tree.rootCID(collecting: &newNodes)
        for (cid, bytes) in newNodes { store.put(cid, bytes) }

        let unsigned = Commit.unsignedBytes(did: did, data: data, rev: rev, prev: nil)
        let commit = Commit(did: did, data: data, rev: rev, prev: nil, signature: sign(unsigned))
        let commitBytes = commit.signedBytes
        let commitCID = store.put(commitBytes)

        // The proof: every node the verifier's reads and inversion touch in the new tree, plus all new nodes.
        var proofNodes = Set(try CommitProof.requiredNodes(ops: ops, newRoot: data, store: store))
        proofNodes.formUnion(newNodes.keys)

        var sections: [(cid: CID, data: [UInt8])] = [(commitCID, commitBytes)]
        for cid in proofNodes.sorted() {
            if let bytes = store[cid] { sections.append((cid, bytes)) }
        }
        for (cid, bytes) in recordBlocks.sorted(by: { $0.key < $1.key }) where !proofNodes.contains(cid) {
            sections.append((cid, bytes))
        }
        let since = head?.commit.rev
        head = (commit, commitCID)
        return RepoCommitProduct(
            commit: commit, commitCID: commitCID, since: since, prevData: prevData, ops: ops,
            blocks: CARWriter.encode(roots: [commitCID], blocks: sections), proofNodeCIDs: proofNodes)
    }

    /// Drops every block the current repository no longer references (nodes of older trees, replaced records,
    /// older commits), so a long-lived writer's memory follows the repository's size rather than its history.
    public func compact() throws(MSTError) {
        var kept = BlockStore()
        if let head, let bytes = store[head.cid] { kept.put(head.cid, bytes) }
        let recorder = RecordingBlockSource(store)
        let view = try MST(root: tree.rootCID(), blocks: recorder)
        for entry in try view.entries() {
            if let bytes = store[entry.value] { kept.put(entry.value, bytes) }
        }
        for cid in recorder.requested {
            if let bytes = store[cid] { kept.put(cid, bytes) }
        }
        store = kept
    }

    /// A full export of the current repository (`getRepo`): commit, every node of the current tree, every record.
    public func exportCAR() throws(MSTError) -> [UInt8] {
        guard let head else { return CARWriter.encode(roots: [], blocks: []) }
        var sections: [(cid: CID, data: [UInt8])] = [(head.cid, head.commit.signedBytes)]
        let recorder = RecordingBlockSource(store)
        let view = try MST(root: head.commit.data, blocks: recorder)
        let entries = try view.entries()
        for cid in recorder.requested {
            if let bytes = store[cid] { sections.append((cid, bytes)) }
        }
        var seen = Set<CID>()
        for entry in entries where seen.insert(entry.value).inserted {
            if let bytes = store[entry.value] { sections.append((entry.value, bytes)) }
        }
        return CARWriter.encode(roots: [head.cid], blocks: sections)
    }
}
