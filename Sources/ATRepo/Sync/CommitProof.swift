import ATData

/// Finds the MST nodes a Sync 1.1 `#commit` must carry so a verifier can check its ops and invert them.
public enum CommitProof {
    /// Nodes of the new tree (rooted at `newRoot` in `store`) that verifying and inverting `ops` reads.
    /// The result is tautologically "whatever inversion needs": the verifier's own reads, recorded.
    public static func requiredNodes(ops: [RepoOp], newRoot: CID, store: any MSTBlockSource) throws(MSTError)
        -> [CID]
    {
        let recorder = RecordingBlockSource(store)
        let view = try MST(root: newRoot, blocks: recorder)
        let keys = ops.map { Array($0.path.utf8) }
        for key in keys { _ = try view.get(key) }
        _ = try CommitVerifier.invert(ops, keys: keys, on: view)
        return recorder.requested
    }
}
