import ATData
import ATRepo
import Firehose

extension SimulatedNetwork {
    /// Builds a faulted `#commit` from a draft of the account's next commit and emits it; the repository stays.
    func faultedWrite(_ account: AccountState, _ writes: [RepoWrite], fault: Fault) throws -> WriteOutcome {
        var emitHost = account.host
        var rev = revClock.next().string
        switch fault {
        case .wrongHostAuthority:
            guard hosts.count > 1 else { throw SimulatorError.faultNotApplicable(fault, "needs two or more hosts") }
            emitHost = (account.host + 1) % hosts.count
        case .revRollback:
            guard let current = account.repo.head?.commit.rev, let tid = try? TID(current),
                tid.rawValue > 1_000_000 << 10
            else { throw SimulatorError.faultNotApplicable(fault, "no previous rev") }
            rev = TID(rawValue: tid.rawValue - (1_000_000 << 10)).string
        case .futureRev:
            let micros = TIDClock.systemMicroseconds() + 600 * 1_000_000
            rev = TID(rawValue: micros << 10 | UInt64(revClock.clockID)).string
        case .recordCIDMismatch:
            guard writes.contains(where: { if case .delete = $0 { false } else { true } }) else {
                throw SimulatorError.faultNotApplicable(fault, "needs a create or update")
            }
        default:
            break
        }
        let key = account.key
        var draft: CommitDraft
        do {
            draft = try CommitDraft.make(repo: account.repo, writes: writes, rev: rev) { bytes in
                (try? key.sign(message: bytes)) ?? []
            }
        } catch {
            throw SimulatorError.invalidWrite("\(error)")
        }
        var repo = account.did
        switch fault {
        case .badSignature:
            let stranger = makeKey(curve: key.curve)
            draft.resign(rev: draft.rev) { bytes in (try? stranger.sign(message: bytes)) ?? [] }
        case .brokenProof:
            draft.prevData = CID.compute(of: Array("not the previous root".utf8) + draft.prevData.bytes)
        case .missingProofNode:
            let victim = draft.requiredNodes.last ?? draft.data
            draft.nodes.removeAll { $0.cid == victim }
        case .recordCIDMismatch:
            if let index = draft.ops.firstIndex(where: { $0.cid != nil }), let cid = draft.ops[index].cid {
                draft.ops[index].cid = CID.compute(of: Array("another record".utf8) + cid.bytes)
            }
        case .oversizeBlocks:
            for _ in 0..<2 {
                let padding = random.bytes(1_000_000)
                draft.extra.append((CID.compute(codec: CID.Codec.raw, of: padding), padding))
            }
        case .badBlockHash:
            if let index = draft.records.firstIndex(where: { !$0.data.isEmpty }) {
                draft.records[index].data[draft.records[index].data.count - 1] ^= 0x01
            } else if let index = draft.nodes.firstIndex(where: { !$0.data.isEmpty }) {
                draft.nodes[index].data[draft.nodes[index].data.count - 1] ^= 0x01
            }
        case .mismatchedRepo:
            repo = accountOrder.first { $0 != account.did } ?? PLCIdentifier.make(using: &random)
        case .missingCommitBlock:
            draft.omitCommitBlock = true
        case .wrongHostAuthority, .tooManyOps, .malformedCBOR, .revRollback, .futureRev:
            break
        }
        let time = now()
        let finished = draft
        let make: (Int64) -> FirehoseFrame = { seq in
            .commit(CommitMessage(
                seq: seq, repo: repo, commit: finished.commitCID, rev: finished.rev, since: finished.since,
                blocks: finished.car, ops: finished.ops, prevData: finished.prevData, time: time))
        }
        let event: EmittedEvent
        if fault == .malformedCBOR {
            let whole = FrameEncoder.encode(make(hosts[emitHost].headSeq + 1))
            event = emitLiveOnly(on: emitHost, Array(whole.dropLast()))
        } else {
            event = emit(on: emitHost, make)
        }
        return WriteOutcome(event: event, fault: fault, applied: false, ops: finished.ops, rev: finished.rev)
    }
}
