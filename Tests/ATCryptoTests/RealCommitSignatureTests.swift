import ATCrypto
import ATData
import Foundation
import Testing

/// Real signed commits from the network, verified with the legacy keys from their DID documents.
///
/// The unsigned commit bytes are obtained without a CBOR codec: a commit is a canonical DAG-CBOR map, and removing
/// its `sig` entry (key `"sig"`, a 64-byte byte string) and decrementing the map's entry count gives exactly the
/// canonical encoding of the unsigned map, because the remaining keys keep their canonical order.
@Suite struct RealCommitSignatureTests {
    /// Repo export, the curve of its account's legacy key, and whether its commit carries a high-S signature.
    ///
    /// fakermaker's version-2 commit (P-256) was signed with a high S, before atproto required low S: plain ECDSA
    /// accepts it, atproto rules refuse it; its low-S twin verifies, which shows the key and bytes are right.
    static let repos: [(String, KeyCurve, Bool)] = [
        ("fakermaker", .p256, true), ("paul_staging", .k256, false), ("greenground", .k256, false),
    ]

    @Test(arguments: repos)
    func commitSignatureVerifiesWithDocumentKey(_ name: String, _ curve: KeyCurve, _ highS: Bool) throws {
        let car = Array(try Fixtures.realdata("repos/\(name).repo.car"))
        let commit = try #require(Self.rootBlock(of: car))
        let (unsigned, signature) = try #require(Self.removeSignature(from: commit))
        #expect(signature.count == 64)

        let document = try Fixtures.realdata("repos/\(name).didDoc.json")
        let object = try #require(try JSONSerialization.jsonObject(with: document) as? [String: Any])
        let method = try #require((object["verificationMethod"] as? [[String: Any]])?.first)
        let multibase = try #require(method["publicKeyMultibase"] as? String)
        let key = try PublicKey(legacyMultibase: multibase, curve: curve)

        let twin = CompactSignature.negatingS(signature, curve: curve)
        #expect(CompactSignature.isLowS(signature, curve: curve) == !highS)
        #expect(key.verify(signature: signature, message: unsigned) == !highS)
        #expect(key.verify(signature: twin, message: unsigned) == highS)
        // The signed encoding is not the signed message.
        #expect(!key.verify(signature: signature, message: commit))
        #expect(!key.verify(signature: twin, message: commit))
    }

    /// The block whose CID is the CAR's single root (minimal CAR v1 walk for test data).
    static func rootBlock(of car: [UInt8]) -> [UInt8]? {
        guard let (headerLength, prefix) = try? Varint.decode(car) else { return nil }
        let header = Array(car[prefix..<(prefix + Int(headerLength))])
        // `roots: [CID]` holds tag 42 + bytes(37) = 0x00 multibase-identity prefix + the 36-byte CID.
        let marker: [UInt8] = [0xd8, 0x2a, 0x58, 0x25, 0x00]
        guard let start = header.indices.first(where: { header[$0...].starts(with: marker) }) else { return nil }
        let root = Array(header[(start + marker.count)..<(start + marker.count + 36)])
        var offset = prefix + Int(headerLength)
        while offset < car.count {
            guard let (length, size) = try? Varint.decode(car[offset...]) else { return nil }
            let section = Array(car[(offset + size)..<(offset + size + Int(length))])
            offset += size + Int(length)
            guard let cid = try? CID(bytes: section.prefix(36)) else { return nil }
            let block = Array(section.dropFirst(36))
            if cid.bytes == root, cid.matches(block) { return block }
        }
        return nil
    }

    /// Splits a signed commit map into its unsigned encoding and the signature bytes.
    static func removeSignature(from commit: [UInt8]) -> (unsigned: [UInt8], signature: [UInt8])? {
        guard let first = commit.first, (0xa1...0xb7).contains(first) else { return nil }
        let entry: [UInt8] = [0x63, 0x73, 0x69, 0x67, 0x58, 0x40]  // text "sig", bytes(64)
        guard let at = commit.indices.first(where: { commit[$0...].starts(with: entry) }) else { return nil }
        let signature = Array(commit[(at + entry.count)..<(at + entry.count + 64)])
        var unsigned = Array(commit[..<at]) + Array(commit[(at + entry.count + 64)...])
        unsigned[0] = first - 1
        return (unsigned, signature)
    }
}
