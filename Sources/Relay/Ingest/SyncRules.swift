import ATData
import ATIdentity
import ATRepo
import EventLog
import Firehose

/// The `#sync` rules: size cap, CAR and commit checks, signature; a rev not newer than the stored one is ignored,
/// otherwise the account's state is reset to the commit and the event is emitted.
struct SyncRules {
    /// Lexicon cap on a `#sync`'s `blocks`.
    static let maxBlocksBytes = 10_000

    let validator: EventValidator
    let event: UpstreamEvent
    let message: SyncMessage
    let stored: AccountState?

    func decide() async -> EventValidator.Decision {
        let skip = event.skip
        if message.blocks.count > Self.maxBlocksBytes { return .drop(.syncTooLarge, skip) }
        if let problem = validator.revProblem(message.rev) { return .drop(problem, skip) }
        let commit: Commit
        let commitCID: CID
        switch Self.commit(in: message) {
        case .success(let value): (commit, commitCID) = value
        case .failure(let failure): return .drop(.syncVerification(failure), skip)
        }
        if let storedRev = stored?.rev, !(message.rev > storedRev) { return .ignore("sync_not_newer", skip) }
        let admission: EventValidator.Admission
        switch await validator.admit(message.did, stored: stored, event: event) {
        case .admitted(let value): admission = value
        case .decided(let decision): return decision
        }
        guard await validator.signatureHolds(commit, identity: admission.identity) else {
            return .drop(.badSignature, admission.change)
        }
        let outgoing = message
        return .write(admission.accepting(
            rev: message.rev, commit: commitCID, data: commit.data, hostSeq: event.seq, kind: .sync, did: message.did
        ) { seq in
            var frame = outgoing
            frame.seq = Int64(seq)
            return FrameEncoder.encode(frame)
        })
    }

    /// The signed commit a `#sync` carries (the CAR's root), checked against the message's `did` and `rev`.
    static func commit(in message: SyncMessage) -> Result<(Commit, CID), CommitVerificationFailure> {
        do {
            let parsed = try CommitVerifier.signedCommit(
                blocks: message.blocks, expectedRoot: nil, repo: message.did, rev: message.rev)
            return .success((parsed.commit, parsed.cid))
        } catch {
            return .failure(error)
        }
    }
}
