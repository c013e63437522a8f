import ATData
import ATRepo
import Firehose

extension SimulatedNetwork {
    /// Applies `writes` as one commit and emits the `#commit` (Sync 1.1: `since`, `prevData`, ops with `prev`,
    /// commit + proof nodes + new records in `blocks`, `blobs: []`). With a `fault`, the commit is built from a
    /// draft and altered as the `Fault` case documents; the repository does not move (see `Fault`).
    @discardableResult
    public func write(_ did: String, _ writes: [SimulatedWrite], fault: Fault? = nil) throws -> WriteOutcome {
        try write(did, writes, fault: fault, layout: nil)
    }

    /// Applies `writes` as one commit, like `write(_:_:fault:)` without a fault, but emits the `#commit` with its
    /// `blocks` reshaped by `layout` (the repository moves as usual; see `BlockLayout`).
    @discardableResult
    public func write(_ did: String, _ writes: [SimulatedWrite], layout: BlockLayout) throws -> WriteOutcome {
        try write(did, writes, fault: nil, layout: layout)
    }

    private func write(_ did: String, _ writes: [SimulatedWrite], fault: Fault?, layout: BlockLayout?) throws
        -> WriteOutcome
    {
        let account = try state(did)
        var requested = writes
        if fault == .tooManyOps {
            while requested.count <= CommitVerifier.maxOps { requested.append(.like) }
        }
        let repoWrites = try repoWrites(for: account, requested)
        guard let fault else {
            let product: RepoCommitProduct
            do {
                product = try account.repo.apply(repoWrites, rev: revClock.next().string)
            } catch {
                throw SimulatorError.invalidWrite("\(error)")
            }
            account.track(product.ops)
            let blocks = try layout?.apply(to: product.blocks, records: product.ops.compactMap(\.cid)) ?? product.blocks
            let time = now()
            let event = emit(on: account.host) { seq in
                .commit(CommitMessage(
                    seq: seq, repo: did, commit: product.commitCID, rev: product.commit.rev, since: product.since,
                    blocks: blocks, ops: product.ops, prevData: product.prevData, time: time))
            }
            return WriteOutcome(event: event, fault: nil, applied: true, ops: product.ops, rev: product.commit.rev)
        }
        return try faultedWrite(account, repoWrites, fault: fault)
    }

    /// Emits `#sync` for the account's current commit (`blocks` = a CAR holding only the signed commit block).
    /// `silentWrites` are first applied without any `#commit` event, so the `#sync` announces a state a relay has
    /// not seen (what a PDS does after an import or a repair). A `layout` reshapes `blocks` (see `BlockLayout`).
    @discardableResult
    public func emitSync(_ did: String, silentWrites: [SimulatedWrite] = [], layout: BlockLayout? = nil) throws
        -> EmittedEvent
    {
        let account = try state(did)
        if !silentWrites.isEmpty {
            let writes = try repoWrites(for: account, silentWrites)
            do {
                account.track(try account.repo.apply(writes, rev: revClock.next().string).ops)
            } catch {
                throw SimulatorError.invalidWrite("\(error)")
            }
        }
        guard let head = account.repo.head else { throw SimulatorError.invalidWrite("no commit yet") }
        let plain = CARWriter.encode(roots: [head.cid], blocks: [(head.cid, head.commit.signedBytes)])
        let blocks = try layout?.apply(to: plain, records: []) ?? plain
        let time = now()
        return emit(on: account.host) { seq in
            .sync(SyncMessage(seq: seq, did: did, blocks: blocks, rev: head.commit.rev, time: time))
        }
    }

    /// Turns requested writes into repository writes with record bytes and keys; refuses paths that would fail
    /// (so a bad request never leaves the repository half-changed).
    func repoWrites(for account: AccountState, _ writes: [SimulatedWrite]) throws(SimulatorError) -> [RepoWrite] {
        var result: [RepoWrite] = []
        var seen = Set<String>()
        let subject = subjectDID(excluding: account.did)
        let time = now()
        for write in writes {
            let repoWrite: RepoWrite
            switch write {
            case .create(let content, let rkey):
                let key = rkey ?? (content == .profile ? "self" : rkeyClock.next().string)
                let path = content.collection + "/" + key
                guard (try? account.repo.tree.get(path)) == .some(nil) else {
                    throw .invalidWrite("create of existing or invalid path \(path)")
                }
                repoWrite = .create(path: path, record: RecordFactory.bytes(
                    for: content, createdAt: time, subjectDID: content == .profile ? account.did : subject,
                    using: &random))
            case .update(let path, let content):
                guard (try? account.repo.tree.get(path)).flatMap({ $0 }) != nil else {
                    throw .invalidWrite("update of missing path \(path)")
                }
                repoWrite = .update(path: path, record: RecordFactory.bytes(
                    for: content, createdAt: time, subjectDID: subject, using: &random))
            case .delete(let path):
                guard (try? account.repo.tree.get(path)).flatMap({ $0 }) != nil else {
                    throw .invalidWrite("delete of missing path \(path)")
                }
                repoWrite = .delete(path: path)
            }
            let path: String
            switch repoWrite {
            case .create(let p, _), .update(let p, _), .delete(let p): path = p
            }
            guard seen.insert(path).inserted else { throw .invalidWrite("path \(path) twice in one commit") }
            result.append(repoWrite)
        }
        return result
    }

    /// Another account's DID to like or follow (a fresh one when the network has a single account).
    func subjectDID(excluding did: String) -> String {
        guard accountOrder.count > 1 else { return PLCIdentifier.make(using: &random) }
        while true {
            let candidate = accountOrder[Int.random(in: 0..<accountOrder.count, using: &random)]
            if candidate != did { return candidate }
        }
    }
}
