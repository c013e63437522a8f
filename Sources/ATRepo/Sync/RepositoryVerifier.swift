import ATData

/// Verification of a whole repository export (`com.atproto.sync.getRepo`): commit, signature, every MST node.
public enum RepositoryVerifier {
    /// A verified repository.
    public struct Result: Sendable {
        /// The commit.
        public let commit: Commit
        /// The commit CID.
        public let commitCID: CID
        /// Every record path and CID, in key order.
        public let records: [(path: String, cid: CID)]
    }

    /// Why an export was rejected.
    public enum Failure: Error, Equatable, Sendable {
        case car(CARError)
        case missingCommit
        case commit(CommitError)
        case didMismatch
        case badSignature
        case mst(MSTError)
        case missingRecord(String)
    }

    /// Verifies a full export; `expectedDID` (if given) must match, `signatureCheck` validates the signature.
    public static func verify(car bytes: [UInt8], expectedDID: String? = nil, requireRecords: Bool = true,
                              signatureCheck: (Commit) -> Bool) throws(Failure) -> Result
    {
        let car: CARFile
        do {
            car = try CARFile(bytes, limits: .fullRepository)
        } catch {
            throw .car(error)
        }
        guard let root = car.roots.first, let block = car[root] else { throw .missingCommit }
        let commit: Commit
        do {
            commit = try Commit(block: block, allowedVersions: 2...3)
        } catch {
            throw .commit(error)
        }
        if let expectedDID, commit.did != expectedDID { throw .didMismatch }
        guard signatureCheck(commit) else { throw .badSignature }
        let entries: [(key: [UInt8], value: CID)]
        do {
            entries = try MST(root: commit.data, blocks: car).entries()
        } catch {
            throw .mst(error)
        }
        var records: [(path: String, cid: CID)] = []
        records.reserveCapacity(entries.count)
        for entry in entries {
            let path = String(decoding: entry.key, as: UTF8.self)
            if requireRecords, car[entry.value] == nil { throw .missingRecord(path) }
            records.append((path, entry.value))
        }
        return Result(commit: commit, commitCID: root, records: records)
    }
}
