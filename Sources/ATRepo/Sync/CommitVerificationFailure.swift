import ATData

/// Why a `#commit` failed Sync 1.1 verification; `reason` is the label counted in drop metrics.
public enum CommitVerificationFailure: Error, Equatable, Sendable {
    case blocksTooLarge(Int)
    case tooManyOps(Int)
    case car(CARError)
    case missingRoot
    case commitCIDMismatch
    case missingCommitBlock
    case commit(CommitError)
    case repoMismatch
    case revMismatch
    case invalidOp(String)
    case invalidMST(String)
    case missingBlock(CID)
    case missingRecordBlock(String)
    case opTreeMismatch(String)
    case inversionMismatch(expected: CID, computed: CID)
    case badSignature

    /// A short stable label for metrics (`tributary_events_dropped_total{reason}`).
    public var reason: String {
        switch self {
        case .blocksTooLarge: "blocks_too_large"
        case .tooManyOps: "too_many_ops"
        case .car(.hashMismatch): "block_hash_mismatch"
        case .car: "bad_car"
        case .missingRoot, .missingCommitBlock: "missing_commit_block"
        case .commitCIDMismatch: "commit_cid_mismatch"
        case .commit: "bad_commit"
        case .repoMismatch: "repo_mismatch"
        case .revMismatch: "rev_mismatch"
        case .invalidOp: "bad_op"
        case .invalidMST: "bad_mst"
        case .missingBlock: "missing_proof_block"
        case .missingRecordBlock: "missing_record_block"
        case .opTreeMismatch: "op_tree_mismatch"
        case .inversionMismatch: "inversion_mismatch"
        case .badSignature: "bad_signature"
        }
    }

    /// True for the failures `--lenient` turns into warnings (MST and prevData checks).
    public var isProofFailure: Bool {
        switch self {
        case .invalidMST, .missingBlock, .opTreeMismatch, .inversionMismatch, .missingRecordBlock: true
        default: false
        }
    }
}
