import ATData
import ATRepo

/// The next commit of a repository, built without changing it: the parts a `#commit` carries, kept separate so a
/// fault can alter one of them before the CAR is assembled. Faulted events are built from drafts, so the account's
/// real state stays at its last good commit.
struct CommitDraft {
    var did: String
    var rev: String
    var since: String?
    var prevData: CID
    var data: CID
    var ops: [RepoOp]
    var commit: Commit
    var commitCID: CID
    var commitBlock: [UInt8]
    /// MST nodes the verifier needs (new nodes plus unchanged nodes read by inversion), in CID order.
    var nodes: [(cid: CID, data: [UInt8])]
    /// Nodes inversion reads, in the order it reads them (the root first).
    var requiredNodes: [CID]
    /// New record blocks.
    var records: [(cid: CID, data: [UInt8])]
    /// Extra blocks appended after everything else (padding).
    var extra: [(cid: CID, data: [UInt8])] = []
    /// Leave the commit block out of the CAR.
    var omitCommitBlock = false

    /// Builds the draft of applying `writes` at `rev` on top of `repo`'s current state, signed by `sign`.
    static func make(repo: RepoWriter, writes: [RepoWrite], rev: String, sign: ([UInt8]) -> [UInt8])
        throws(MSTError) -> CommitDraft
    {
        let base = repo.store
        let tree: MST
        if let head = repo.head {
            tree = try MST(root: head.commit.data, blocks: base)
        } else {
            tree = MST()
        }
        let prevData = tree.rootCID()
        var ops: [RepoOp] = []
        var records: [CID: [UInt8]] = [:]
        for write in writes {
            switch write {
            case .create(let path, let record):
                let cid = CID.compute(of: record)
                records[cid] = record
                try tree.insert(Array(path.utf8), value: cid)
                ops.append(RepoOp(action: .create, path: path, cid: cid, prev: nil))
            case .update(let path, let record):
                let cid = CID.compute(of: record)
                records[cid] = record
                let previous = try tree.update(Array(path.utf8), value: cid)
                ops.append(RepoOp(action: .update, path: path, cid: cid, prev: previous))
            case .delete(let path):
                let previous = try tree.delete(Array(path.utf8))
                ops.append(RepoOp(action: .delete, path: path, cid: nil, prev: previous))
            }
        }
        var newNodes: [CID: [UInt8]] = [:]
        let data = tree.rootCID(collecting: &newNodes)
        let layered = LayeredBlocks(base: base, top: newNodes)
        let required = try CommitProof.requiredNodes(ops: ops, newRoot: data, store: layered)
        var nodeSet = Set(required)
        nodeSet.formUnion(newNodes.keys)
        let nodes: [(cid: CID, data: [UInt8])] = nodeSet.sorted().compactMap { cid in
            layered.bytes(for: cid).map { (cid, $0) }
        }
        let unsigned = Commit.unsignedBytes(did: repo.did, data: data, rev: rev, prev: nil)
        let commit = Commit(did: repo.did, data: data, rev: rev, prev: nil, signature: sign(unsigned))
        let commitBlock = commit.signedBytes
        return CommitDraft(
            did: repo.did, rev: rev, since: repo.head?.commit.rev, prevData: prevData, data: data, ops: ops,
            commit: commit, commitCID: CID.compute(of: commitBlock), commitBlock: commitBlock, nodes: nodes,
            requiredNodes: required,
            records: records.sorted { $0.key < $1.key }.filter { !nodeSet.contains($0.key) }.map { ($0.key, $0.value) })
    }

    /// Re-signs the commit (after a change of rev, or with another key).
    mutating func resign(rev newRev: String, sign: ([UInt8]) -> [UInt8]) {
        rev = newRev
        let unsigned = Commit.unsignedBytes(did: did, data: data, rev: rev, prev: nil)
        commit = Commit(did: did, data: data, rev: rev, prev: nil, signature: sign(unsigned))
        commitBlock = commit.signedBytes
        commitCID = CID.compute(of: commitBlock)
    }

    /// The `blocks` CAR: commit block, MST nodes, records, extra blocks.
    var car: [UInt8] {
        var sections: [(cid: CID, data: [UInt8])] = omitCommitBlock ? [] : [(commitCID, commitBlock)]
        sections.append(contentsOf: nodes)
        sections.append(contentsOf: records)
        sections.append(contentsOf: extra)
        return CARWriter.encode(roots: [commitCID], blocks: sections)
    }
}

/// A block source that looks in `top` first, then in `base`.
struct LayeredBlocks: MSTBlockSource {
    let base: BlockStore
    let top: [CID: [UInt8]]

    func bytes(for cid: CID) -> [UInt8]? { top[cid] ?? base[cid] }

    func block(for cid: CID) -> ArraySlice<UInt8>? { bytes(for: cid).map { $0[...] } }
}
