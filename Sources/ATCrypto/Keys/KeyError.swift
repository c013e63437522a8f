/// Why a key string, key bytes or a private key could not be used.
public enum KeyError: Error, Equatable, Sendable {
    /// A did:key string did not start with `did:key:`.
    case notDIDKey
    /// The multibase prefix was not `z` (base58btc), the only one atproto uses.
    case unsupportedMultibase
    /// The string was longer than any valid key encoding.
    case tooLong
    /// The base58btc text had a character outside the alphabet.
    case invalidBase58
    /// The multicodec varint prefix was malformed.
    case invalidMulticodec
    /// The multicodec named a key type other than secp256k1-pub or p256-pub.
    case unsupportedCodec(UInt64)
    /// Key bytes of a length no encoding allows (33 compressed, 65 uncompressed; 32 for private keys).
    case invalidLength(Int)
    /// The first byte of a SEC1 point was not 0x02/0x03 (compressed) or 0x04 (uncompressed).
    case invalidPointFormat(UInt8)
    /// The bytes did not describe a point on the curve.
    case invalidPoint
    /// A private key scalar was zero or not below the curve order.
    case invalidPrivateKey
    /// The underlying library refused to sign (practically unreachable with a valid key).
    case signingFailed
}
