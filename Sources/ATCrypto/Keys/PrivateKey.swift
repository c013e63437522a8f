import CSecp256k1
import Crypto

/// An atproto signing private key (for the simulator, tools and tests; the relay itself never signs).
public struct PrivateKey: Sendable {
    /// Curve of the key.
    public var curve: KeyCurve { publicKey.curve }
    /// The matching public key.
    public let publicKey: PublicKey
    /// Library-specific secret.
    private let secret: Secret

    /// Library-specific secret storage.
    private enum Secret: Sendable {
        case k256([UInt8])
        case p256(P256.Signing.PrivateKey)
    }

    /// Length of a raw private scalar on either curve.
    public static let rawLength = 32

    /// Imports a raw 32-byte big-endian private scalar (must be in 1..<n).
    public init(rawBytes: [UInt8], curve: KeyCurve) throws(KeyError) {
        guard rawBytes.count == Self.rawLength else { throw .invalidLength(rawBytes.count) }
        switch curve {
        case .k256:
            guard let context = Secp256k1Context.signing else { throw .signingFailed }
            guard secp256k1_ec_seckey_verify(context, rawBytes) == 1 else { throw .invalidPrivateKey }
            var parsed = secp256k1_pubkey()
            guard secp256k1_ec_pubkey_create(context, &parsed, rawBytes) == 1 else { throw .invalidPrivateKey }
            var compressed = [UInt8](repeating: 0, count: PublicKey.compressedLength)
            var length = compressed.count
            _ = secp256k1_ec_pubkey_serialize(
                context, &compressed, &length, &parsed, UInt32(SECP256K1_EC_COMPRESSED))
            publicKey = try PublicKey(sec1Bytes: compressed, curve: .k256)
            secret = .k256(rawBytes)
        case .p256:
            let key: P256.Signing.PrivateKey
            do {
                key = try P256.Signing.PrivateKey(rawRepresentation: rawBytes)
            } catch {
                throw .invalidPrivateKey
            }
            publicKey = try PublicKey(sec1Bytes: Array(key.publicKey.compressedRepresentation), curve: .p256)
            secret = .p256(key)
        }
    }

    /// A fresh random key from the system's cryptographic random source.
    public static func generate(curve: KeyCurve) -> PrivateKey {
        var generator = SystemRandomNumberGenerator()
        while true {
            var bytes = [UInt8](repeating: 0, count: rawLength)
            for index in bytes.indices { bytes[index] = generator.next() }
            // Only a scalar of zero or >= n fails (probability ~2^-128 on k256, ~2^-32 on p256).
            if let key = try? PrivateKey(rawBytes: bytes, curve: curve) { return key }
        }
    }

    /// The raw 32-byte private scalar (handle with care).
    public var rawBytes: [UInt8] {
        switch secret {
        case .k256(let bytes): bytes
        case .p256(let key): Array(key.rawRepresentation)
        }
    }

    /// Signs SHA-256(`message`); returns a compact 64-byte low-S `r || s` signature.
    public func sign(message: [UInt8]) throws(KeyError) -> [UInt8] {
        let digest = message.withUnsafeBytes { PublicKey.sha256($0) }
        return try sign(digest: Array(digest))
    }

    /// Signs a precomputed 32-byte SHA-256 digest; returns a compact 64-byte low-S `r || s` signature.
    public func sign(digest: [UInt8]) throws(KeyError) -> [UInt8] {
        guard digest.count == 32 else { throw .invalidLength(digest.count) }
        switch secret {
        case .k256(let raw):
            guard let context = Secp256k1Context.signing else { throw .signingFailed }
            var signature = secp256k1_ecdsa_signature()
            // Deterministic RFC 6979 nonce; libsecp256k1 always produces low-S.
            guard secp256k1_ecdsa_sign(context, &signature, digest, raw, nil, nil) == 1 else {
                throw .signingFailed
            }
            var output = [UInt8](repeating: 0, count: CompactSignature.length)
            _ = secp256k1_ecdsa_signature_serialize_compact(context, &output, &signature)
            return output
        case .p256(let key):
            let signature: [UInt8]
            do {
                signature = try digest.withUnsafeBytes { buffer throws -> [UInt8] in
                    guard let wrapped = RawDigest(buffer) else { throw KeyError.signingFailed }
                    return Array(try key.signature(for: wrapped).rawRepresentation)
                }
            } catch {
                throw .signingFailed
            }
            // BoringSSL returns either S; atproto requires the low one.
            if CompactSignature.isLowS(signature, curve: .p256) { return signature }
            return CompactSignature.negatingS(signature, curve: .p256)
        }
    }
}
