import ATData

/// did:key, Multikey and legacy `publicKeyMultibase` encodings.
extension PublicKey {
    /// Prefix of every did:key string.
    public static let didKeyPrefix = "did:key:"
    /// Longest multibase key string accepted (a multikey is 48–49 characters, a legacy uncompressed key ~90).
    public static let maxEncodedLength = 128

    /// Multikey form: `z` + base58btc(varint(multicodec) || compressed point).
    public var multikey: String {
        var bytes = Varint.encode(curve.multicodec)
        bytes.append(contentsOf: compressedBytes)
        return "z" + Base58.encode(bytes)
    }

    /// did:key form: `did:key:` + multikey.
    public var didKey: String { Self.didKeyPrefix + multikey }

    /// Parses a `did:key:z…` string (k256 or p256, compressed point).
    public init(didKey: some StringProtocol) throws(KeyError) {
        guard didKey.utf8.starts(with: Self.didKeyPrefix.utf8) else { throw .notDIDKey }
        // Slice by bytes, not Characters: the prefix is ASCII, what follows may be anything.
        try self.init(multikey: String(decoding: didKey.utf8.dropFirst(Self.didKeyPrefix.utf8.count), as: UTF8.self))
    }

    /// Parses a Multikey `publicKeyMultibase` value: `z` + base58btc(varint(multicodec) || compressed point).
    public init(multikey: some StringProtocol) throws(KeyError) {
        let bytes = try Self.decodeMultibase(multikey)
        let code: UInt64
        let prefixLength: Int
        do {
            (code, prefixLength) = try Varint.decode(bytes)
        } catch {
            throw .invalidMulticodec
        }
        guard let curve = KeyCurve(multicodec: code) else { throw .unsupportedCodec(code) }
        let point = Array(bytes[prefixLength...])
        guard point.count == Self.compressedLength else { throw .invalidLength(point.count) }
        try self.init(sec1Bytes: point, curve: curve)
    }

    /// Parses a legacy `publicKeyMultibase` (no multicodec): `z` + base58btc(SEC1 point, 33 or 65 bytes); the
    /// curve comes from the verification method type (see `KeyCurve(legacyVerificationMethodType:)`).
    public init(legacyMultibase: some StringProtocol, curve: KeyCurve) throws(KeyError) {
        try self.init(sec1Bytes: try Self.decodeMultibase(legacyMultibase), curve: curve)
    }

    /// Strips the `z` multibase prefix and decodes base58btc, with a length cap checked first.
    static func decodeMultibase(_ text: some StringProtocol) throws(KeyError) -> [UInt8] {
        let utf8 = text.utf8
        guard utf8.count <= maxEncodedLength else { throw .tooLong }
        guard utf8.first == UInt8(ascii: "z") else { throw .unsupportedMultibase }
        guard let bytes = Base58.decode(String(decoding: utf8.dropFirst(), as: UTF8.self)) else { throw .invalidBase58 }
        return bytes
    }
}
