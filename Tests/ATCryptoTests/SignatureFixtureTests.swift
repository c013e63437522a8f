import ATCrypto
import ATData
import Testing

/// Every case of the atproto interop `crypto/signature-fixtures.json`.
@Suite struct SignatureFixtureTests {
    struct Case: Decodable {
        let comment: String
        let messageBase64: String
        let algorithm: String
        let didDocSuite: String
        let publicKeyDid: String
        let publicKeyMultibase: String
        let signatureBase64: String
        let validSignature: Bool
        let tags: [String]
    }

    static let cases: [Case] = (try? Fixtures.decode([Case].self, interop: "crypto/signature-fixtures.json")) ?? []

    @Test func fixtureFileHasAllCases() {
        #expect(Self.cases.count == 6)
        #expect(Self.cases.filter { $0.tags.contains("high-s") }.count == 2)
        #expect(Self.cases.filter { $0.tags.contains("der-encoded") }.count == 2)
        #expect(Self.cases.filter(\.validSignature).count == 2)
    }

    @Test(arguments: cases)
    func verifiesAsExpected(_ fixture: Case) throws {
        let message = try #require(Base64.decode(fixture.messageBase64))
        let signature = try #require(Base64.decode(fixture.signatureBase64))
        let key = try PublicKey(didKey: fixture.publicKeyDid)
        let curve: KeyCurve = fixture.algorithm == "ES256K" ? .k256 : .p256
        #expect(key.curve == curve)
        #expect(key.curve.jwtAlgorithm == fixture.algorithm)
        #expect(key.didKey == fixture.publicKeyDid)

        // The legacy multibase form (no multicodec) names the same key.
        let suiteCurve = try #require(KeyCurve(legacyVerificationMethodType: fixture.didDocSuite))
        #expect(try PublicKey(legacyMultibase: fixture.publicKeyMultibase, curve: suiteCurve) == key)

        #expect(key.verify(signature: signature, message: message) == fixture.validSignature, "\(fixture.comment)")
        let digest = Array(SHA256Helper.hash(message))
        #expect(key.verify(signature: signature, digest: digest) == fixture.validSignature, "\(fixture.comment)")

        if fixture.tags.contains("high-s") {
            // Plain ECDSA would accept it: its low-S twin verifies, so only the low-S rule rejected it.
            #expect(!CompactSignature.isLowS(signature, curve: curve))
            let lowS = CompactSignature.negatingS(signature, curve: curve)
            #expect(key.verify(signature: lowS, message: message))
        }
        if fixture.tags.contains("der-encoded") {
            #expect(signature.count != 64)
            #expect(signature.first == 0x30)
        }
    }
}

extension SignatureFixtureTests.Case: CustomTestStringConvertible {
    var testDescription: String { comment }
}
