import ATCrypto
import ATData
import ATIdentity
import ATRepo
import Firehose

/// `--verify`: checks each `#commit` against its account's `#atproto` key from the DID document.
///
/// A full stream gets the relay's Sync 1.1 check (`CommitVerifier`); a proof-stripped stream only the signature,
/// the commit fields and the record blocks (`checkStripped`). A signature failure re-resolves the DID once (the key
/// may have rotated since it was cached) before the commit is reported as FAILED.
struct CommitChecker: Sendable {
    let directory: IdentityDirectory
    /// The stream is proof-stripped (`--strip-proofs`): MST nodes are absent, so only the signature can be checked.
    let stripped: Bool

    /// Verifies `message` with the account's current key.
    func check(_ message: CommitMessage) async -> CommitCheck {
        let key: PublicKey
        do {
            key = try Self.signingKey(try await directory.lookup(message.repo))
        } catch {
            return Self.identityFailure(error)
        }
        let outcome = Self.check(message, key: key, stripped: stripped)
        guard case .failed(let reason, _) = outcome, reason == CommitVerificationFailure.badSignature.reason else {
            return outcome
        }
        // The cached key may be stale (rotation); `refresh` re-resolves at most every few seconds per DID.
        guard let fresh = try? Self.signingKey(try await directory.refresh(message.repo)), fresh != key else {
            return outcome
        }
        return Self.check(message, key: fresh, stripped: stripped)
    }

    /// Forgets a DID after its `#identity` event, so the next commit uses the new document.
    func forget(_ did: String) async {
        await directory.purge(did)
    }

    /// The whole check with a known key (no I/O).
    static func check(_ message: CommitMessage, key: PublicKey, stripped: Bool) -> CommitCheck {
        do throws(CommitVerificationFailure) {
            if stripped {
                try checkStripped(message, key: key)
                return .verified(.signature)
            }
            let fields = CommitEventFields(
                repo: message.repo, rev: message.rev, commit: message.commit, since: message.since,
                prevData: message.prevData, ops: message.ops, blocks: message.blocks)
            _ = try CommitVerifier.verify(fields, signatureCheck: { $0.isSigned(by: key) })
            return .verified(.full)
        } catch {
            return .failed(reason: error.reason, detail: detail(of: error))
        }
    }

    /// What a stripped commit still proves: its blocks hash to their CIDs, the root block is the signed commit of
    /// this repo and rev, and every create/update op's record block is present.
    static func checkStripped(_ message: CommitMessage, key: PublicKey) throws(CommitVerificationFailure) {
        guard message.blocks.count <= CommitVerifier.maxBlocksBytes else {
            throw .blocksTooLarge(message.blocks.count)
        }
        guard message.ops.count <= CommitVerifier.maxOps else { throw .tooManyOps(message.ops.count) }
        let (car, commit, _) = try CommitVerifier.signedCommit(
            blocks: message.blocks, expectedRoot: message.commit, repo: message.repo, rev: message.rev)
        guard commit.isSigned(by: key) else { throw .badSignature }
        for op in message.ops where op.action != .delete {
            guard let cid = op.cid else { throw .invalidOp("\(op.action.rawValue) without cid: \(op.path)") }
            guard car[cid] != nil else { throw .missingRecordBlock(op.path) }
        }
    }

    private static func signingKey(_ identity: Identity) throws(IdentityLookupFailure) -> PublicKey {
        guard let key = identity.signingKey else { throw .noSigningKey }
        return key
    }

    private static func identityFailure(_ error: any Error) -> CommitCheck {
        if let failure = error as? IdentityLookupFailure, failure == .noSigningKey {
            return .failed(reason: "no_signing_key", detail: "the DID document has no usable #atproto key")
        }
        return .failed(reason: "identity_unavailable", detail: "\(error)")
    }

    /// A short explanation for the failures whose label alone does not say which part is wrong.
    static func detail(of failure: CommitVerificationFailure) -> String? {
        switch failure {
        case .blocksTooLarge(let count): "\(count) bytes"
        case .tooManyOps(let count): "\(count) ops"
        case .car(let error): "\(error)"
        case .commit(let error): "\(error)"
        case .invalidOp(let text), .invalidMST(let text): text
        case .missingBlock(let cid): cid.string
        case .missingRecordBlock(let path), .opTreeMismatch(let path): path
        case .inversionMismatch(let expected, let computed): "prevData \(expected.string), computed \(computed.string)"
        case .missingRoot, .commitCIDMismatch, .missingCommitBlock, .repoMismatch, .revMismatch, .badSignature: nil
        }
    }
}

/// The DID resolved but its document cannot verify commits.
enum IdentityLookupFailure: Error, Equatable {
    case noSigningKey
}
