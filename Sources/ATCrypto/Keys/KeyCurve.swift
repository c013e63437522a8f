/// The two elliptic curves atproto signing keys use.
public enum KeyCurve: String, Sendable, Hashable, CaseIterable {
    /// secp256k1 ("k256", JWT alg ES256K); the reference PDS default.
    case k256
    /// NIST P-256 / secp256r1 ("p256", JWT alg ES256).
    case p256

    /// Multicodec code of the compressed public key (`secp256k1-pub`, `p256-pub`).
    public var multicodec: UInt64 {
        switch self {
        case .k256: 0xe7
        case .p256: 0x1200
        }
    }

    /// JWT `alg` name for signatures on this curve.
    public var jwtAlgorithm: String {
        switch self {
        case .k256: "ES256K"
        case .p256: "ES256"
        }
    }

    /// The curve whose public-key multicodec is `code`, if supported.
    public init?(multicodec code: UInt64) {
        switch code {
        case 0xe7: self = .k256
        case 0x1200: self = .p256
        default: return nil
        }
    }

    /// The curve of a legacy DID-document verification method type
    /// (`EcdsaSecp256k1VerificationKey2019`, `EcdsaSecp256r1VerificationKey2019`).
    public init?(legacyVerificationMethodType type: String) {
        switch type {
        case "EcdsaSecp256k1VerificationKey2019": self = .k256
        case "EcdsaSecp256r1VerificationKey2019": self = .p256
        default: return nil
        }
    }

    /// Group order n, big-endian; needed for the low-S rule (s <= n/2).
    var order: [UInt8] {
        switch self {
        case .k256: CurveOrder.secp256k1
        case .p256: CurveOrder.p256
        }
    }

    /// floor(n / 2), big-endian.
    var halfOrder: [UInt8] {
        switch self {
        case .k256: CurveOrder.secp256k1Half
        case .p256: CurveOrder.p256Half
        }
    }
}

/// Curve orders as constants (computed once).
enum CurveOrder {
    static let secp256k1: [UInt8] = [
        0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xfe,
        0xba, 0xae, 0xdc, 0xe6, 0xaf, 0x48, 0xa0, 0x3b, 0xbf, 0xd2, 0x5e, 0x8c, 0xd0, 0x36, 0x41, 0x41,
    ]
    static let p256: [UInt8] = [
        0xff, 0xff, 0xff, 0xff, 0x00, 0x00, 0x00, 0x00, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
        0xbc, 0xe6, 0xfa, 0xad, 0xa7, 0x17, 0x9e, 0x84, 0xf3, 0xb9, 0xca, 0xc2, 0xfc, 0x63, 0x25, 0x51,
    ]
    static let secp256k1Half = halve(secp256k1)
    static let p256Half = halve(p256)

    /// Big-endian right shift by one bit.
    static func halve(_ value: [UInt8]) -> [UInt8] {
        var output = [UInt8](repeating: 0, count: value.count)
        var carry: UInt8 = 0
        for index in value.indices {
            output[index] = (value[index] >> 1) | carry
            carry = (value[index] & 1) << 7
        }
        return output
    }
}
