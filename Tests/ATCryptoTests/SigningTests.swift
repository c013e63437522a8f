import ATCrypto
import ATData
import Testing

/// Sign → verify round trips, tampering, and the low-S rule on both curves.
@Suite struct SigningTests {
    @Test(arguments: KeyCurve.allCases)
    func roundTrip(_ curve: KeyCurve) throws {
        let key = PrivateKey.generate(curve: curve)
        let message = Array("a commit's canonical bytes".utf8)
        let signature = try key.sign(message: message)
        #expect(signature.count == 64)
        #expect(CompactSignature.isLowS(signature, curve: curve))
        #expect(key.publicKey.verify(signature: signature, message: message))
        #expect(key.publicKey.verify(signature: signature, digest: SHA256Helper.hash(message)))
        // A key parsed back from its did:key verifies too.
        let reparsed = try PublicKey(didKey: key.publicKey.didKey)
        #expect(reparsed.verify(signature: signature, message: message))
        #expect(try key.sign(digest: SHA256Helper.hash(message)).count == 64)
    }

    @Test(arguments: KeyCurve.allCases)
    func signaturesAreAlwaysLowS(_ curve: KeyCurve) throws {
        // P-256 signers return high S about half the time; the key must normalize every one.
        let key = PrivateKey.generate(curve: curve)
        for index in 0..<64 {
            let message = Array("message \(index)".utf8)
            let signature = try key.sign(message: message)
            #expect(CompactSignature.isLowS(signature, curve: curve))
            #expect(key.publicKey.verify(signature: signature, message: message))
        }
    }

    @Test(arguments: KeyCurve.allCases)
    func tamperedMessageOrSignatureFails(_ curve: KeyCurve) throws {
        let key = PrivateKey.generate(curve: curve)
        let message = Array("original".utf8)
        let signature = try key.sign(message: message)
        var tamperedMessage = message
        tamperedMessage[0] ^= 0x01
        #expect(!key.publicKey.verify(signature: signature, message: tamperedMessage))
        for position in [0, 31, 32, 63] {
            var tampered = signature
            tampered[position] ^= 0x80
            #expect(!key.publicKey.verify(signature: tampered, message: message))
        }
        // Another key does not verify it.
        let other = PrivateKey.generate(curve: curve)
        #expect(!other.publicKey.verify(signature: signature, message: message))
    }

    @Test(arguments: KeyCurve.allCases)
    func highSVariantIsRejected(_ curve: KeyCurve) throws {
        let key = PrivateKey.generate(curve: curve)
        let message = Array("malleable".utf8)
        let signature = try key.sign(message: message)
        let highS = CompactSignature.negatingS(signature, curve: curve)
        #expect(highS != signature)
        #expect(highS[..<32] == signature[..<32])
        #expect(!CompactSignature.isLowS(highS, curve: curve))
        #expect(!key.publicKey.verify(signature: highS, message: message))
        #expect(!key.publicKey.verify(signature: highS, digest: SHA256Helper.hash(message)))
        // Negating twice gives the original back.
        #expect(CompactSignature.negatingS(highS, curve: curve) == signature)
    }

    @Test(arguments: KeyCurve.allCases)
    func wrongLengthsAreRejected(_ curve: KeyCurve) throws {
        let key = PrivateKey.generate(curve: curve)
        let message = Array("lengths".utf8)
        let signature = try key.sign(message: message)
        #expect(!key.publicKey.verify(signature: Array(signature.dropLast()), message: message))
        #expect(!key.publicKey.verify(signature: signature + [0], message: message))
        #expect(!key.publicKey.verify(signature: [], message: message))
        #expect(!key.publicKey.verify(signature: signature, digest: Array(SHA256Helper.hash(message).dropLast())))
        #expect(throws: KeyError.invalidLength(31)) { try key.sign(digest: [UInt8](repeating: 1, count: 31)) }
    }

    @Test(arguments: KeyCurve.allCases)
    func zeroAndOverflowingScalarsAreRejected(_ curve: KeyCurve) throws {
        let key = PrivateKey.generate(curve: curve)
        let message = Array("scalars".utf8)
        let signature = try key.sign(message: message)
        let zeroS = Array(signature[..<32]) + [UInt8](repeating: 0, count: 32)
        let zeroR = [UInt8](repeating: 0, count: 32) + Array(signature[32...])
        let maxR = [UInt8](repeating: 0xff, count: 32) + Array(signature[32...])
        for bad in [zeroS, zeroR, maxR, [UInt8](repeating: 0, count: 64)] {
            #expect(!key.publicKey.verify(signature: bad, message: message))
        }
    }

    @Test func lowSBoundary() {
        // s = floor(n/2) is low, s = floor(n/2) + 1 is high, on both curves.
        let halves: [KeyCurve: [UInt8]] = [
            .k256: Hex.decode("7fffffffffffffffffffffffffffffff5d576e7357a4501ddfe92f46681b20a0") ?? [],
            .p256: Hex.decode("7fffffff800000007fffffffffffffffde737d56d38bcf4279dce5617e3192a8") ?? [],
        ]
        for (curve, half) in halves {
            let r = [UInt8](repeating: 1, count: 32)
            #expect(CompactSignature.isLowS(r + half, curve: curve))
            var above = half
            above[31] += 1
            #expect(!CompactSignature.isLowS(r + above, curve: curve))
            var below = half
            below[31] -= 1
            #expect(CompactSignature.isLowS(r + below, curve: curve))
        }
    }

    @Test func privateKeyValidation() {
        for curve in KeyCurve.allCases {
            #expect(throws: KeyError.invalidPrivateKey) {
                try PrivateKey(rawBytes: [UInt8](repeating: 0, count: 32), curve: curve)
            }
            #expect(throws: KeyError.invalidPrivateKey) {
                try PrivateKey(rawBytes: [UInt8](repeating: 0xff, count: 32), curve: curve)
            }
            #expect(throws: KeyError.invalidLength(31)) {
                try PrivateKey(rawBytes: [UInt8](repeating: 1, count: 31), curve: curve)
            }
        }
    }

    @Test func signingIsDeterministicOnK256() throws {
        // RFC 6979 nonces: the same key and message always give the same signature.
        let key = PrivateKey.generate(curve: .k256)
        let message = Array("deterministic".utf8)
        #expect(try key.sign(message: message) == key.sign(message: message))
    }
}
