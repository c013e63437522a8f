import ATData
import ATIdentity
import ATRepo
import EventLog
import Firehose

/// The `#commit` rules of design §7, cheapest first: sizes, rev, account status, identity and host authority,
/// then Sync 1.1 verification with the signature (one DID-document refresh on failure), then the chain check.
struct CommitRules {
    let validator: EventValidator
    let event: UpstreamEvent
    let message: CommitMessage
    let stored: AccountState?

    func decide() async -> EventValidator.Decision {
        let skip = event.skip
        if message.blocks.count > CommitVerifier.maxBlocksBytes {
            return .drop(.commitVerification(.blocksTooLarge(message.blocks.count)), skip)
        }
        if message.ops.count > CommitVerifier.maxOps {
            return .drop(.commitVerification(.tooManyOps(message.ops.count)), skip)
        }
        if let problem = validator.revProblem(message.rev) { return .drop(problem, skip) }
        if let storedRev = stored?.rev, !(message.rev > storedRev) { return .drop(.revNotNewer, skip) }
        let admission: EventValidator.Admission
        switch await validator.admit(message.repo, stored: stored, event: event) {
        case .admitted(let value): admission = value
        case .decided(let decision): return decision
        }
        let identity = admission.identity
        let change = admission.change

        let fields = CommitEventFields(
            repo: message.repo, rev: message.rev, commit: message.commit, since: message.since,
            prevData: message.prevData, ops: message.ops, blocks: message.blocks)
        var signedCommit: Commit?
        var signatureValid = false
        let key = identity.signingKey
        let data: CID
        do {
            let verified = try CommitVerifier.verify(fields) { commit in
                signedCommit = commit
                signatureValid = key.map { commit.isSigned(by: $0) } ?? false
                return true
            }
            data = verified.commit.data
        } catch {
            // Failures before the signature step leave `signedCommit` nil; those after it are judged after the
            // signature, so a forged commit is reported as such rather than as a proof failure.
            guard let commit = signedCommit else { return .drop(.commitVerification(error), change) }
            if !signatureValid, await !validator.signatureHolds(commit, identity: identity) {
                return .drop(.badSignature, change)
            }
            guard error.isProofFailure, validator.configuration.lenient else {
                return .drop(.commitVerification(error), change)
            }
            validator.metrics.lenientWarning(error.reason)
            validator.logger.warning(
                "lenient: passing a commit that failed proof verification",
                metadata: ["did": "\(message.repo)", "host": "\(event.host.hostname)", "reason": "\(error.reason)"])
            data = commit.data
            signatureValid = true
        }
        if !signatureValid {
            guard let commit = signedCommit, await validator.signatureHolds(commit, identity: identity) else {
                return .drop(.badSignature, change)
            }
        }
        if let stored, stored.rev != nil {
            let chains = message.since == stored.rev && (message.prevData == nil || message.prevData == stored.data)
            if !chains {
                validator.metrics.discontinuities.increment()
                validator.logger.info(
                    "commit does not chain onto the stored state; passed through",
                    metadata: ["did": "\(message.repo)", "host": "\(event.host.hostname)"])
            }
        }
        let outgoing = message
        return .write(admission.accepting(
            rev: message.rev, commit: message.commit, data: data, hostSeq: event.seq, kind: .commit, did: message.repo
        ) { seq in
            FrameEncoder.encode(outgoing, seq: Int64(seq))
        })
    }
}
