import ATCrypto
import ATData
import ATRepo
import Foundation
import Testing

/// Commits signed with real k256 and p256 keys verify through Sync 1.1; real exports verify with their DID keys.
@Suite struct CommitSignatureTests {
    @Test(arguments: KeyCurve.allCases)
    func writerCommitsVerifyWithRealKeys(curve: KeyCurve) throws {
        let key = PrivateKey.generate(curve: curve)
        let other = PrivateKey.generate(curve: curve)
        let writer = RepoWriter(did: "did:plc:signed") { (try? key.sign(message: $0)) ?? [] }
        var revs = TestRevs()
        _ = try writer.apply((0..<100).map { .create(path: "app.bsky.feed.post/s\($0)", record: RepoFixtures.record($0)) },
                             rev: revs.next())
        let product = try writer.apply([.create(path: "app.bsky.feed.post/x", record: RepoFixtures.record(1000))],
                                       rev: revs.next())
        let fields = CommitEventFields(repo: "did:plc:signed", rev: product.commit.rev, commit: product.commitCID,
                                       since: product.since, prevData: product.prevData, ops: product.ops,
                                       blocks: product.blocks)
        let verified = try CommitVerifier.verify(fields) { $0.isSigned(by: key.publicKey) }
        #expect(verified.invertedToPrevData)
        #expect(throws: CommitVerificationFailure.badSignature) {
            try CommitVerifier.verify(fields) { $0.isSigned(by: other.publicKey) }
        }
    }

    @Test func realExportSignaturesVerify() throws {
        // paul_staging: k256, legacy 65-byte key; greenground: version 3 (its document's id is another DID).
        for name in ["paul_staging", "greenground"] {
            let document = try JSONSerialization.jsonObject(
                with: RepoFixtures.data("realdata/repos/\(name).didDoc.json")) as? [String: Any]
            let methods = try #require(document?["verificationMethod"] as? [[String: Any]])
            let method = try #require(methods.first)
            let type = try #require(method["type"] as? String)
            let multibase = try #require(method["publicKeyMultibase"] as? String)
            let key: PublicKey
            if let curve = KeyCurve(legacyVerificationMethodType: type) {
                key = try PublicKey(legacyMultibase: multibase, curve: curve)
            } else {
                key = try PublicKey(multikey: multibase)
            }
            let car = [UInt8](try RepoFixtures.data("realdata/repos/\(name).repo.car"))
            let result = try RepositoryVerifier.verify(car: car, requireRecords: false) { $0.isSigned(by: key) }
            #expect(result.records.count > 0)
        }
    }
}
