import CSecp256k1
import Crypto

/// ECDSA verification with the atproto rules: compact 64-byte `r || s` only, low-S only, SHA-256.
extension PublicKey {
    /// Verifies `signature` over SHA-256(`message`).
    public func verify(signature: [UInt8], message: [UInt8]) -> Bool {
        signature.withUnsafeBytes { signatureBytes in
            message.withUnsafeBytes { verify(signature: signatureBytes, message: $0) }
        }
    }

    /// Verifies `signature` over SHA-256(`message`).
    public func verify(signature: UnsafeRawBufferPointer, message: UnsafeRawBufferPointer) -> Bool {
        // Length first: a DER signature (70–72 bytes) or junk costs no hashing.
        guard signature.count == CompactSignature.length else { return false }
        let digest = Self.sha256(message)
        switch backend {
        case .k256(let key):
            return digest.withUnsafeBytes { Self.verifyK256(key: key, signature: signature, digest: $0) }
        case .p256(let key):
            return Self.verifyP256(key: key, signature: signature, digest: digest)
        }
    }

    /// Verifies `signature` over a precomputed 32-byte SHA-256 `digest`.
    public func verify(signature: [UInt8], digest: [UInt8]) -> Bool {
        signature.withUnsafeBytes { signatureBytes in
            digest.withUnsafeBytes { verify(signature: signatureBytes, digest: $0) }
        }
    }

    /// Verifies `signature` over a precomputed 32-byte SHA-256 `digest`.
    public func verify(signature: UnsafeRawBufferPointer, digest: UnsafeRawBufferPointer) -> Bool {
        guard signature.count == CompactSignature.length, digest.count == 32 else { return false }
        switch backend {
        case .k256(let key):
            return Self.verifyK256(key: key, signature: signature, digest: digest)
        case .p256(let key):
            guard let wrapped = RawDigest(digest) else { return false }
            return Self.verifyP256(key: key, signature: signature, digest: wrapped)
        }
    }

    /// libsecp256k1 verify; it rejects high-S signatures itself, so no separate check (and no normalizing).
    private static func verifyK256(
        key: secp256k1_pubkey, signature: UnsafeRawBufferPointer, digest: UnsafeRawBufferPointer
    ) -> Bool {
        guard let signatureBase = signature.baseAddress, let digestBase = digest.baseAddress else { return false }
        let context = Secp256k1Context.verification
        var parsed = secp256k1_ecdsa_signature()
        // Fails when r or s is not below the curve order.
        guard
            secp256k1_ecdsa_signature_parse_compact(
                context, &parsed, signatureBase.assumingMemoryBound(to: UInt8.self)) == 1
        else { return false }
        return withUnsafePointer(to: key) { keyPointer in
            secp256k1_ecdsa_verify(context, &parsed, digestBase.assumingMemoryBound(to: UInt8.self), keyPointer) == 1
        }
    }

    /// swift-crypto verify plus the explicit low-S rule (BoringSSL accepts either S).
    private static func verifyP256(
        key: P256.Signing.PublicKey, signature: UnsafeRawBufferPointer, digest: some Digest
    ) -> Bool {
        guard CompactSignature.isLowS(signature, curve: .p256) else { return false }
        guard let parsed = try? P256.Signing.ECDSASignature(rawRepresentation: signature) else { return false }
        return key.isValidSignature(parsed, for: digest)
    }
}

extension PublicKey {
    /// SHA-256 of raw bytes without copying them.
    static func sha256(_ bytes: UnsafeRawBufferPointer) -> SHA256Digest {
        var hasher = SHA256()
        hasher.update(bufferPointer: bytes)
        return hasher.finalize()
    }
}
