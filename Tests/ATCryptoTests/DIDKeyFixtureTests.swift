import ATCrypto
import ATData
import Testing

/// Every case of the W3C did:key fixtures (private key → did:key) for both curves.
@Suite struct DIDKeyFixtureTests {
    struct K256Case: Decodable {
        let privateKeyBytesHex: String
        let publicDidKey: String
    }

    struct P256Case: Decodable {
        let privateKeyBytesBase58: String
        let publicDidKey: String
    }

    static let k256Cases = (try? Fixtures.decode([K256Case].self, interop: "crypto/w3c_didkey_K256.json")) ?? []
    static let p256Cases = (try? Fixtures.decode([P256Case].self, interop: "crypto/w3c_didkey_P256.json")) ?? []

    @Test func fixtureCounts() {
        #expect(Self.k256Cases.count == 5)
        #expect(Self.p256Cases.count == 1)
    }

    @Test(arguments: k256Cases.map { [$0.privateKeyBytesHex, $0.publicDidKey] })
    func k256PrivateKeyGivesDIDKey(_ pair: [String]) throws {
        let raw = try #require(Hex.decode(pair[0]))
        try checkKey(raw: raw, curve: .k256, didKey: pair[1])
    }

    @Test(arguments: p256Cases.map { [$0.privateKeyBytesBase58, $0.publicDidKey] })
    func p256PrivateKeyGivesDIDKey(_ pair: [String]) throws {
        let raw = try #require(Base58.decode(pair[0]))
        try checkKey(raw: raw, curve: .p256, didKey: pair[1])
    }

    /// Import → public key → did:key; did:key parse → same key; a signature by the private key verifies under
    /// the key parsed from the fixture's did:key.
    private func checkKey(raw: [UInt8], curve: KeyCurve, didKey: String) throws {
        let privateKey = try PrivateKey(rawBytes: raw, curve: curve)
        #expect(privateKey.curve == curve)
        #expect(privateKey.rawBytes == raw)
        #expect(privateKey.publicKey.didKey == didKey)
        let parsed = try PublicKey(didKey: didKey)
        #expect(parsed == privateKey.publicKey)
        #expect(parsed.curve == curve)
        #expect(try PublicKey(multikey: parsed.multikey) == parsed)
        let message = Array("fixture message".utf8)
        let signature = try privateKey.sign(message: message)
        #expect(parsed.verify(signature: signature, message: message))
    }
}
