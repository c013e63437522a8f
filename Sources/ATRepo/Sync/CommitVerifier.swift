import ATData

/// The fields of a `#commit` that Sync 1.1 verification reads.
public struct CommitEventFields: Sendable {
    public var repo: String
    public var rev: String
    public var commit: CID
    public var since: String?
    public var prevData: CID?
    public var ops: [RepoOp]
    public var blocks: [UInt8]

    /// Creates the fields.
    public init(repo: String, rev: String, commit: CID, since: String?, prevData: CID?, ops: [RepoOp],
                blocks: [UInt8])
    {
        self.repo = repo
        self.rev = rev
        self.commit = commit
        self.since = since
        self.prevData = prevData
        self.ops = ops
        self.blocks = blocks
    }
}

/// A commit that passed verification, with its parsed CAR (for proof stripping and state updates).
public struct VerifiedCommit: Sendable {
    /// The decoded commit.
    public let commit: Commit
    /// The commit's CID (roots[0]).
    public let commitCID: CID
    /// The verified CAR slice.
    public let car: CARFile
    /// False when there was no `prevData`, so inversion was not possible (first-seen accounts, old hosts).
    public let invertedToPrevData: Bool
}

/// Sync 1.1 verification of a `#commit`: structure, op/tree agreement, and inversion back to `prevData`.
///
/// Rev ordering, host authority and account status need relay state and are checked by the relay; the signature is
/// checked by the caller with the account's key (`signatureCheck`), so this type stays free of identity lookups.
public enum CommitVerifier {
    /// Lexicon cap on `blocks`.
    public static let maxBlocksBytes = 2_000_000
    /// Lexicon cap on `ops`.
    public static let maxOps = 200

    /// Verifies the message; `signatureCheck` receives the commit and returns whether its signature is valid.
    public static func verify(_ fields: CommitEventFields, requireRecordBlocks: Bool = true,
                              signatureCheck: (Commit) -> Bool) throws(CommitVerificationFailure) -> VerifiedCommit
    {
        guard fields.blocks.count <= maxBlocksBytes else { throw .blocksTooLarge(fields.blocks.count) }
        guard fields.ops.count <= maxOps else { throw .tooManyOps(fields.ops.count) }
        let (car, commit, root) = try signedCommit(
            blocks: fields.blocks, expectedRoot: fields.commit, repo: fields.repo, rev: fields.rev)
        guard signatureCheck(commit) else { throw .badSignature }

        let keys = try checkOps(fields.ops)
        let tree: MST
        do {
            tree = try MST(root: commit.data, blocks: car)
        } catch {
            throw mapMST(error)
        }
        // The new tree must hold exactly what the ops say.
        for (op, key) in zip(fields.ops, keys) {
            let found: CID?
            do {
                found = try tree.get(key)
            } catch {
                throw mapMST(error)
            }
            guard found == op.cid else { throw .opTreeMismatch(op.path) }
            if requireRecordBlocks, let cid = op.cid, car[cid] == nil { throw .missingRecordBlock(op.path) }
        }
        guard let prevData = fields.prevData else {
            return VerifiedCommit(commit: commit, commitCID: root, car: car, invertedToPrevData: false)
        }
        let computed: CID
        do {
            computed = try invert(fields.ops, keys: keys, on: tree)
        } catch {
            throw mapMST(error)
        }
        guard computed == prevData else { throw .inversionMismatch(expected: prevData, computed: computed) }
        return VerifiedCommit(commit: commit, commitCID: root, car: car, invertedToPrevData: true)
    }

    /// Parses a `#commit`/`#sync` CAR (every block hash checked) and its root commit, which must be `expectedRoot`
    /// (when given) and carry `repo` and `rev`. The signature is left to the caller.
    public static func signedCommit(blocks: [UInt8], expectedRoot: CID?, repo: String, rev: String)
        throws(CommitVerificationFailure) -> (car: CARFile, commit: Commit, cid: CID)
    {
        let car: CARFile
        do {
            car = try CARFile(blocks, limits: .commitDiff)
        } catch {
            throw .car(error)
        }
        guard let root = car.roots.first else { throw .missingRoot }
        if let expectedRoot, root != expectedRoot { throw .commitCIDMismatch }
        guard let block = car[root] else { throw .missingCommitBlock }
        let commit: Commit
        do {
            commit = try Commit(block: block)
        } catch {
            throw .commit(error)
        }
        guard commit.did == repo else { throw .repoMismatch }
        guard commit.rev == rev else { throw .revMismatch }
        return (car, commit, root)
    }

    /// Undoes `ops` on `tree` (deletes restored first, then the rest, each by path) and returns the root CID.
    public static func invert(_ ops: [RepoOp], keys: [[UInt8]], on tree: MST) throws(MSTError) -> CID {
        if ops.count == 1 {  // the common commit: no order to work out
            try undo(ops, 0, key: keys[0], on: tree)
            return tree.rootCID()
        }
        let order = ops.indices.sorted { lhs, rhs in
            let leftIsDelete = ops[lhs].action == .delete
            let rightIsDelete = ops[rhs].action == .delete
            if leftIsDelete != rightIsDelete { return leftIsDelete }
            return MSTKey.precedes(keys[lhs], keys[rhs])
        }
        for index in order { try undo(ops, index, key: keys[index], on: tree) }
        return tree.rootCID()
    }

    /// Undoes `ops[index]`: a create's key goes, an update's or delete's `prev` comes back. (Reads the op's fields in
    /// place: copying a `RepoOp` out of the array retains its strings.)
    @inline(__always)
    private static func undo(_ ops: [RepoOp], _ index: Int, key: [UInt8], on tree: MST) throws(MSTError) {
        switch ops[index].action {
        case .create:
            try tree.delete(key)
        case .update:
            guard let prev = ops[index].prev else { throw .keyNotFound(ops[index].path) }
            try tree.update(key, value: prev)
        case .delete:
            guard let prev = ops[index].prev else { throw .keyNotFound(ops[index].path) }
            try tree.insert(key, value: prev)
        }
    }

    /// Checks each op's shape and that paths are valid and unique; returns the MST keys.
    static func checkOps(_ ops: [RepoOp]) throws(CommitVerificationFailure) -> [[UInt8]] {
        var keys: [[UInt8]] = []
        keys.reserveCapacity(ops.count)
        var seen = Set<[UInt8]>()
        for op in ops {
            let key = Array(op.path.utf8)
            guard MSTKey.isValid(key) else { throw .invalidOp("invalid path \(op.path)") }
            guard seen.insert(key).inserted else { throw .invalidOp("duplicate path \(op.path)") }
            switch op.action {
            case .create:
                guard op.cid != nil, op.prev == nil else { throw .invalidOp("create needs cid and no prev: \(op.path)") }
            case .update:
                guard op.cid != nil, op.prev != nil else { throw .invalidOp("update needs cid and prev: \(op.path)") }
            case .delete:
                guard op.cid == nil, op.prev != nil else { throw .invalidOp("delete needs prev and no cid: \(op.path)") }
            }
            keys.append(key)
        }
        return keys
    }

    static func mapMST(_ error: MSTError) -> CommitVerificationFailure {
        switch error {
        case .missingBlock(let cid): .missingBlock(cid)
        case .invalidNode(_, let rule): .invalidMST(rule)
        case .invalidKey(let key): .invalidOp("invalid path \(key)")
        case .keyExists(let key), .keyNotFound(let key): .opTreeMismatch(key)
        }
    }
}
