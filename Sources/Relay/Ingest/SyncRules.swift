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
        if let stored, let blocked = validator.statusBlock(stored), stored.host == event.host.hostname.value {
            return .drop(blocked, skip)
        }
        let identity: Identity
        switch await validator.authoritativeIdentity(message.did, host: event.host.hostname) {
        case .success(let value): identity = value
        case .failure(let reason): return .drop(reason, skip)
        }
        var (account, deltas) = validator.attach(message.did, stored: stored, event: event)
        var change = skip
        if account != stored {
            change.account = account
            change.accountDeltas = deltas
        }
        if let blocked = validator.statusBlock(account) { return .drop(blocked, change) }
        guard await validator.signatureHolds(commit, identity: identity) else { return .drop(.badSignature, change) }
        account.rev = message.rev
        account.commit = commitCID
        account.data = commit.data
        account.hostSeq = event.seq
        change.account = account
        change.accountDeltas = deltas
        let outgoing = message
        change.append = .init(kind: .sync, did: message.did) { seq in
            var frame = outgoing
            frame.seq = Int64(seq)
            return FrameEncoder.encode(frame)
        }
        return .write(change)
    }

    /// The signed commit a `#sync` carries (the CAR's root), checked against the message's `did` and `rev`.
    static func commit(in message: SyncMessage) -> Result<(Commit, CID), CommitVerificationFailure> {
        let car: CARFile
        do {
            car = try CARFile(message.blocks, limits: .commitDiff)
        } catch {
            return .failure(.car(error))
        }
        guard let root = car.roots.first else { return .failure(.missingRoot) }
        guard let block = car[root] else { return .failure(.missingCommitBlock) }
        let commit: Commit
        do {
            commit = try Commit(block: block)
        } catch {
            return .failure(.commit(error))
        }
        guard commit.did == message.did else { return .failure(.repoMismatch) }
        guard commit.rev == message.rev else { return .failure(.revMismatch) }
        return .success((commit, root))
    }
}
