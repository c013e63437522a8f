import ATData
import ATRepo

/// Proof stripping (design §6): a `#commit` whose `blocks` keep only the signed commit block and the record blocks
/// named by create/update ops; every other field is unchanged. Consumers can still check the commit signature and
/// each record's CID, but not MST inclusion.
public enum ProofStripper {
    /// Why a commit could not be stripped (its blocks do not parse: it would not have been accepted anyway).
    public enum Failure: Error, Equatable, Sendable {
        case car(CARError)
    }

    /// The stripped CAR for a commit message.
    public static func strippedBlocks(of message: CommitMessage) throws(Failure) -> [UInt8] {
        let car: CARFile
        do {
            car = try CARFile(message.blocks, limits: .commitDiff)
        } catch {
            throw .car(error)
        }
        return strippedBlocks(commit: message.commit, ops: message.ops, car: car)
    }

    /// The stripped CAR from an already-parsed block set (the relay parsed it while verifying).
    public static func strippedBlocks(commit: CID, ops: [RepoOp], car: some MSTBlockSource) -> [UInt8] {
        var sections: [(cid: CID, data: [UInt8])] = []
        if let block = car.block(for: commit) { sections.append((commit, Array(block))) }
        var seen: Set<CID> = [commit]
        for op in ops where op.action != .delete {
            guard let cid = op.cid, seen.insert(cid).inserted, let block = car.block(for: cid) else { continue }
            sections.append((cid, Array(block)))
        }
        return CARWriter.encode(roots: [commit], blocks: sections)
    }

    /// The stripped variant of a commit message.
    public static func strip(_ message: CommitMessage) throws(Failure) -> CommitMessage {
        var stripped = message
        stripped.blocks = try strippedBlocks(of: message)
        return stripped
    }
}
