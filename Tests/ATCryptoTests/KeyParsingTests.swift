import ATCrypto
import ATData
import Foundation
import Testing

/// did:key / Multikey / legacy multibase parsing, including real DID documents and malformed input.
@Suite struct KeyParsingTests {
    /// The three real DID documents and the curve of their legacy key type.
    static let realDocuments = [
        ("fakermaker", KeyCurve.p256), ("paul_staging", KeyCurve.k256), ("greenground", KeyCurve.k256),
    ]

    @Test(arguments: realDocuments)
    func legacyUncompressedKeysFromRealDocuments(_ name: String, _ curve: KeyCurve) throws {
        let data = try Fixtures.realdata("repos/\(name).didDoc.json")
        let document = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        let methods = try #require(document["verificationMethod"] as? [[String: Any]])
        #expect(methods.count == 1)
        let method = try #require(methods.first)
        let type = try #require(method["type"] as? String)
        #expect(KeyCurve(legacyVerificationMethodType: type) == curve)
        let multibase = try #require(method["publicKeyMultibase"] as? String)
        // These are 65-byte uncompressed points without a multicodec.
        let raw = try #require(Base58.decode(multibase.dropFirst()))
        #expect(raw.count == 65)
        #expect(raw.first == 0x04)

        let key = try PublicKey(legacyMultibase: multibase, curve: curve)
        #expect(key.curve == curve)
        #expect(key.compressedBytes.count == 33)
        #expect(key.compressedBytes[1...] == raw[1..<33])
        #expect(key.compressedBytes[0] == 0x02 | (raw[64] & 1))
        // Compressed and uncompressed forms of the same point are the same key.
        #expect(try PublicKey(sec1Bytes: raw, curve: curve) == key)
        #expect(try PublicKey(sec1Bytes: key.compressedBytes, curve: curve) == key)
        #expect(try PublicKey(didKey: key.didKey) == key)
        #expect(key.didKey.hasPrefix(curve == .k256 ? "did:key:zQ3s" : "did:key:zDna"))
    }

    @Test func malformedStringsGiveTypedErrors() throws {
        let valid = "did:key:zQ3shqwJEJyMBsBXCWyCBpUBMqxcon9oHB7mCvx4sSpMdLJwc"
        #expect(throws: KeyError.notDIDKey) { try PublicKey(didKey: "did:plc:zQ3shqwJEJyMBsBXCWyCBpUBMqxcon9o") }
        #expect(throws: KeyError.unsupportedMultibase) { try PublicKey(didKey: "did:key:fe701") }
        #expect(throws: KeyError.invalidBase58) { try PublicKey(multikey: "zQ3sh0") }
        #expect(throws: KeyError.invalidBase58) { try PublicKey(multikey: "zQ3shé") }
        #expect(throws: KeyError.tooLong) { try PublicKey(multikey: "z" + String(repeating: "2", count: 500)) }
        #expect(throws: KeyError.invalidMulticodec) { try PublicKey(multikey: "z") }
        // ed25519-pub (0xed) is a valid did:key, but not an atproto signing key.
        let ed25519 = "z" + Base58.encode([0xed, 0x01] + [UInt8](repeating: 7, count: 32))
        #expect(throws: KeyError.unsupportedCodec(0xed)) { try PublicKey(multikey: ed25519) }
        // A truncated point.
        let key = try PublicKey(didKey: valid)
        let short = "z" + Base58.encode([0xe7, 0x01] + key.compressedBytes.dropLast())
        #expect(throws: KeyError.invalidLength(32)) { try PublicKey(multikey: short) }
        // Uncompressed points are not allowed inside a multikey.
        let uncompressed = "z" + Base58.encode([0xe7, 0x01, 0x04] + [UInt8](repeating: 1, count: 64))
        #expect(throws: KeyError.invalidLength(65)) { try PublicKey(multikey: uncompressed) }
    }

    @Test(arguments: KeyCurve.allCases)
    func invalidPointsAreRejected(_ curve: KeyCurve) throws {
        // x = 5 is not the x-coordinate of a point on secp256k1 (5³ + 7 = 132 is no square mod p); for P-256 some
        // small x values are off-curve: search the first one the library rejects and check the typed error.
        var rejected = 0
        for x in UInt8(1)...UInt8(40) {
            let bytes = [0x02] + [UInt8](repeating: 0, count: 31) + [x]
            do {
                _ = try PublicKey(sec1Bytes: bytes, curve: curve)
            } catch {
                #expect(error == .invalidPoint)
                rejected += 1
            }
        }
        #expect(rejected > 0)
        // An uncompressed point whose y does not match x.
        let key = PrivateKey.generate(curve: curve).publicKey
        let bogus = [0x04] + key.compressedBytes[1...] + [UInt8](repeating: 0x11, count: 32)
        #expect(throws: KeyError.invalidPoint) { try PublicKey(sec1Bytes: Array(bogus), curve: curve) }
        // Wrong prefix bytes (0x06/0x07 "hybrid" encodings, 0x04 on a 33-byte input).
        #expect(throws: KeyError.invalidPointFormat(0x04)) {
            try PublicKey(sec1Bytes: [0x04] + key.compressedBytes[1...], curve: curve)
        }
        #expect(throws: KeyError.invalidPointFormat(0x06)) {
            try PublicKey(sec1Bytes: [0x06] + [UInt8](repeating: 1, count: 64), curve: curve)
        }
        #expect(throws: KeyError.invalidLength(34)) {
            try PublicKey(sec1Bytes: key.compressedBytes + [0], curve: curve)
        }
    }

    @Test func curveOfAKeyComesFromItsMulticodec() throws {
        let k256 = try PublicKey(didKey: "did:key:zQ3shqwJEJyMBsBXCWyCBpUBMqxcon9oHB7mCvx4sSpMdLJwc")
        let p256 = try PublicKey(didKey: "did:key:zDnaembgSGUhZULN2Caob4HLJPaxBh92N7rtH21TErzqf8HQo")
        #expect(k256.curve == .k256)
        #expect(p256.curve == .p256)
        #expect(k256 != p256)
        #expect(Set([k256, p256, k256]).count == 2)
        #expect(k256.description == k256.didKey)
        #expect(KeyCurve(multicodec: 0xe7) == .k256)
        #expect(KeyCurve(multicodec: 0x1200) == .p256)
        #expect(KeyCurve(multicodec: 0xed) == nil)
        #expect(KeyCurve(legacyVerificationMethodType: "Multikey") == nil)
    }

    @Test func keysAreSendableAndReusableAcrossTasks() async throws {
        let privateKey = PrivateKey.generate(curve: .k256)
        let key = privateKey.publicKey
        let message = Array("shared".utf8)
        let signature = try privateKey.sign(message: message)
        let results = await withTaskGroup(of: Bool.self) { group in
            for _ in 0..<8 { group.addTask { key.verify(signature: signature, message: message) } }
            return await group.reduce(into: [Bool]()) { $0.append($1) }
        }
        #expect(results == [Bool](repeating: true, count: 8))
    }
}
