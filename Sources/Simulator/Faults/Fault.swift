/// A deliberate defect in an emitted `#commit`, for testing a relay's checks (design §7).
///
/// Unless a case says otherwise, the faulted commit is built from a draft of the account's next commit and the
/// account's real repository does NOT move: the next good write chains onto the last good commit (its `since` and
/// `prevData` are what a relay stored before the fault). Each faulted event still takes a seq on its host.
public enum Fault: String, Sendable, CaseIterable, Codable {
    /// Signed with a fresh key of the same curve instead of the account's key → `CommitVerificationFailure.badSignature`.
    case badSignature
    /// `prevData` names a CID that is not the previous MST root → `.inversionMismatch`.
    case brokenProof
    /// One MST node that inversion reads is left out of `blocks` → `.missingBlock`.
    case missingProofNode
    /// The first create/update op's `cid` is not the record's CID (the tree holds the real one) → `.opTreeMismatch`.
    case recordCIDMismatch
    /// A valid, correctly chained commit emitted by a host that is NOT the account's `#atproto_pds` (the next host
    /// in the network). Passes `CommitVerifier`; the relay's host-authority check must drop it. Needs 2+ hosts.
    case wrongHostAuthority
    /// Unreferenced padding blocks push `blocks` over 2,000,000 bytes → `.blocksTooLarge`.
    case oversizeBlocks
    /// More than 200 ops (the writes are padded with creates up to 201) → `.tooManyOps`.
    case tooManyOps
    /// In-transit corruption: the frame (without its last byte) goes only to the subscribers connected now; it takes
    /// no seq and is not kept, so a subscriber that reconnects from its cursor loses nothing → `FrameError.cbor`.
    case malformedCBOR
    /// One block's bytes (a record if any, else an MST node) no longer hash to its CID → `.car(.hashMismatch)`.
    case badBlockHash
    /// A valid commit whose rev is one second older than the account's current rev. Passes `CommitVerifier`; the
    /// relay's rev-order check must drop it.
    case revRollback
    /// A valid commit whose rev is 10 minutes in the future. Passes `CommitVerifier`; the relay's clock check must
    /// drop it.
    case futureRev
    /// `repo` names another DID than the commit's `did` → `.repoMismatch`.
    case mismatchedRepo
    /// The CAR's root is the commit CID but the commit block is absent → `.missingCommitBlock`.
    case missingCommitBlock

    /// Faults `CommitVerifier.verify` itself rejects (the others need relay state: identity, stored rev, clock,
    /// or fail before verification at frame decoding).
    public var isCaughtByCommitVerifier: Bool {
        switch self {
        case .wrongHostAuthority, .revRollback, .futureRev, .malformedCBOR: false
        default: true
        }
    }
}
