import ATData
@testable import ATRepo
import Testing

/// Commit decoding, unsigned bytes, full-repository verification on real exports and writer exports.
@Suite struct CommitAndRepositoryTests {
    @Test func commitRoundTripsAndUnsignedBytesMatch() throws {
        let data = CID.compute(of: [0xa0])
        let unsigned = Commit.unsignedBytes(did: "did:plc:abc", data: data, rev: "3kaaaaaaaaaa2", prev: nil)
        let commit = Commit(did: "did:plc:abc", data: data, rev: "3kaaaaaaaaaa2",
                            signature: RepoFixtures.testSign(unsigned))
        let decoded = try Commit(block: commit.signedBytes)
        #expect(decoded == commit)
        #expect(decoded.unsignedBytes == unsigned)
        // Field order of the signed form: did, rev, sig, data, prev, version.
        let keys = try DAGCBOR.decode(commit.signedBytes).mapValue?.keys
        #expect(keys == ["did", "rev", "sig", "data", "prev", "version"])
    }

    @Test func malformedCommitsAreRejected() throws {
        let data = CID.compute(of: [0xa0])
        func block(_ map: DataValue) -> [UInt8] { DAGCBOR.encode(map) }
        let sig = DataValue.bytes([UInt8](repeating: 1, count: 64))
        let good: DataMap = DataMap([("did", "did:plc:x"), ("rev", "3kaaaaaaaaaa2"), ("sig", sig),
                                     ("data", .link(data)), ("prev", .null), ("version", 3)])
        #expect(throws: Never.self) { try Commit(block: block(.map(good))) }
        for field in ["did", "rev", "sig", "data", "prev", "version"] {
            var missing = good
            missing[field] = nil
            #expect(throws: CommitError.missingField(field)) { try Commit(block: block(.map(missing))) }
        }
        var v2 = good
        v2["version"] = 2
        #expect(throws: CommitError.unsupportedVersion(2)) { try Commit(block: block(.map(v2))) }
        var shortSig = good
        shortSig["sig"] = .bytes([1, 2, 3])
        #expect(throws: CommitError.badSignatureLength(3)) { try Commit(block: block(.map(shortSig))) }
        var badDID = good
        badDID["did"] = "not a did"
        #expect(throws: CommitError.invalidDID) { try Commit(block: block(.map(badDID))) }
        var badRev = good
        badRev["rev"] = "3k-aaaa"
        #expect(throws: CommitError.invalidRev) { try Commit(block: block(.map(badRev))) }
        var extra = good
        extra["zzz"] = "kept"
        let withExtra = try Commit(block: block(.map(extra)))
        #expect(try DAGCBOR.decode(withExtra.unsignedBytes)["zzz"] == "kept")
        #expect(throws: CommitError.self) { try Commit(block: [0xa0, 0x01]) }
    }

    @Test func realRepositoryExportsVerifyStructure() throws {
        var records = 0
        for name in ["fakermaker", "paul_staging", "greenground"] {
            let car = [UInt8](try RepoFixtures.data("realdata/repos/\(name).repo.car"))
            let result = try RepositoryVerifier.verify(car: car, requireRecords: false) { _ in true }
            #expect(result.records.count > 0, "\(name)")
            records += result.records.count
            // Rebuilding the tree from its records reproduces the commit's data root.
            let rebuilt = try MST.build(sortedEntries: result.records.map { (Array($0.path.utf8), $0.cid) })
            #expect(rebuilt.rootCID() == result.commit.data, "\(name)")
        }
        #expect(records > 100)
    }

    @Test func repoSliceLoadsAsAPartialTree() throws {
        let car = try CARFile([UInt8](try RepoFixtures.data("realdata/repos/repo_slice.car")), limits: .fullRepository)
        let root = try #require(car.roots.first)
        let commit = try Commit(block: try #require(car[root]), allowedVersions: 2...3)
        let tree = try MST(root: commit.data, blocks: car)
        // Walking the whole tree must hit a missing block: the slice only holds one record's path.
        #expect(throws: MSTError.self) { try tree.entries() }
    }

    @Test func writerExportsVerify() throws {
        let writer = RepoWriter(did: "did:plc:export", sign: RepoFixtures.testSign)
        var revs = TestRevs()
        _ = try writer.apply((0..<300).map { .create(path: "app.bsky.graph.follow/f\($0)", record: RepoFixtures.record($0)) },
                             rev: revs.next())
        _ = try writer.apply([.delete(path: "app.bsky.graph.follow/f7")], rev: revs.next())
        let result = try RepositoryVerifier.verify(car: try writer.exportCAR(), expectedDID: "did:plc:export",
                                                   signatureCheck: RepoFixtures.testCheck)
        #expect(result.records.count == 299)
        #expect(throws: RepositoryVerifier.Failure.didMismatch) {
            try RepositoryVerifier.verify(car: try writer.exportCAR(), expectedDID: "did:plc:other") { _ in true }
        }
        #expect(throws: RepositoryVerifier.Failure.badSignature) {
            try RepositoryVerifier.verify(car: try writer.exportCAR()) { _ in false }
        }
    }

    @Test func untrustedNodesAreChecked() throws {
        let leaf = CID.compute(of: [0xa0])
        func node(_ entries: [DataValue], l: DataValue = .null) -> [UInt8] {
            DAGCBOR.encode(["e": .array(entries), "l": l])
        }
        func entry(_ key: String, p: Int64 = 0, t: DataValue = .null) -> DataValue {
            ["k": .bytes(Array(key.utf8)), "p": .integer(p), "t": t, "v": .link(leaf)]
        }
        func load(_ bytes: [UInt8]) throws -> MST {
            let cid = CID.compute(of: bytes)
            let tree = try MST(root: cid, blocks: [cid: bytes[...]])
            _ = try tree.entries()
            return tree
        }
        // Keys at layer 0 (checked with MSTKey.layer below).
        let a = "com.example.record/a", b = "com.example.record/c"
        #expect(MSTKey.layer(of: a) == 0 && MSTKey.layer(of: b) == 0)
        #expect(throws: Never.self) { try load(node([entry(a), entry("c", p: 19)])) }
        #expect(throws: MSTError.self) { try load(node([entry(b), entry(a)])) }  // out of order
        #expect(throws: MSTError.self) { try load(node([entry(a), entry(a, p: 19)])) }  // duplicate
        #expect(throws: MSTError.self) { try load(node([entry(a, p: 1)])) }  // first entry with prefix
        #expect(throws: MSTError.self) { try load(node([entry(a), entry("c", p: 40)])) }  // prefix too long
        #expect(throws: MSTError.self) { try load(node([entry(a), entry(b, p: 0)])) }  // compression not maximal
        #expect(throws: MSTError.self) { try load(node([entry("bad key/x")])) }  // invalid key
        #expect(throws: MSTError.self) { try load(node([], l: .link(leaf))) }  // root that only points down
        #expect(throws: MSTError.self) { try load(node([entry(a, t: .link(leaf))])) }  // child below layer 0
        #expect(throws: MSTError.self) { try load(DAGCBOR.encode(["e": .array([])])) }  // l missing
    }
}
