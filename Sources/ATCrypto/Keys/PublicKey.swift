import CSecp256k1
import Crypto

/// A parsed atproto signing public key: parse once per account, then verify any number of signatures with it.
///
/// Equality and hashing use the curve and the compressed point, so a key read from a legacy uncompressed
/// encoding equals the same key read from a did:key.
public struct PublicKey: Sendable, Hashable {
    /// Curve of the key.
    public let curve: KeyCurve
    /// SEC1 compressed point: 33 bytes, `0x02`/`0x03` || X.
    public let compressedBytes: [UInt8]
    /// The key in the form its verification library wants, built once at parse time.
    let backend: Backend

    /// Library-specific parsed key.
    enum Backend: Sendable {
        case k256(secp256k1_pubkey)
        case p256(P256.Signing.PublicKey)
    }

    /// Length of a SEC1 compressed point on either curve.
    public static let compressedLength = 33
    /// Length of a SEC1 uncompressed point (`0x04` || X || Y) on either curve.
    public static let uncompressedLength = 65

    /// Parses a SEC1 point: 33 bytes compressed or 65 bytes uncompressed; the point must lie on the curve.
    public init(sec1Bytes bytes: [UInt8], curve: KeyCurve) throws(KeyError) {
        switch bytes.count {
        case Self.compressedLength:
            guard bytes[0] == 0x02 || bytes[0] == 0x03 else { throw .invalidPointFormat(bytes[0]) }
        case Self.uncompressedLength:
            // libsecp256k1 would also take the "hybrid" 0x06/0x07 form, which atproto does not use.
            guard bytes[0] == 0x04 else { throw .invalidPointFormat(bytes[0]) }
        default:
            throw .invalidLength(bytes.count)
        }
        self.curve = curve
        switch curve {
        case .k256:
            var parsed = secp256k1_pubkey()
            let ok = bytes.withUnsafeBufferPointer { buffer -> Int32 in
                guard let base = buffer.baseAddress else { return 0 }
                return secp256k1_ec_pubkey_parse(Secp256k1Context.verification, &parsed, base, buffer.count)
            }
            guard ok == 1 else { throw .invalidPoint }
            backend = .k256(parsed)
            compressedBytes =
                bytes.count == Self.compressedLength ? bytes : Self.serializeCompressed(parsed)
        case .p256:
            do {
                let key =
                    bytes.count == Self.compressedLength
                    ? try P256.Signing.PublicKey(compressedRepresentation: bytes)
                    : try P256.Signing.PublicKey(x963Representation: bytes)
                backend = .p256(key)
                compressedBytes =
                    bytes.count == Self.compressedLength ? bytes : Array(key.compressedRepresentation)
            } catch {
                throw .invalidPoint
            }
        }
    }

    /// Compressed SEC1 encoding of a libsecp256k1 key.
    private static func serializeCompressed(_ key: secp256k1_pubkey) -> [UInt8] {
        var output = [UInt8](repeating: 0, count: compressedLength)
        var length = compressedLength
        withUnsafePointer(to: key) { keyPointer in
            // Cannot fail for a parsed key and a 33-byte buffer.
            _ = secp256k1_ec_pubkey_serialize(
                Secp256k1Context.verification, &output, &length, keyPointer, UInt32(SECP256K1_EC_COMPRESSED))
        }
        return output
    }

    public static func == (lhs: PublicKey, rhs: PublicKey) -> Bool {
        lhs.curve == rhs.curve && lhs.compressedBytes == rhs.compressedBytes
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(curve)
        hasher.combine(compressedBytes)
    }
}

extension PublicKey: CustomStringConvertible {
    /// The did:key form, readable in logs.
    public var description: String { didKey }
}
