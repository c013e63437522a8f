/// Rules for the 64-byte `r || s` ECDSA signatures atproto uses (no DER, low-S only).
public enum CompactSignature {
    /// Length of a compact signature.
    public static let length = 64

    /// True when `signature` is 64 bytes and its S half is at most n/2 for `curve`.
    public static func isLowS(_ signature: UnsafeRawBufferPointer, curve: KeyCurve) -> Bool {
        guard signature.count == length else { return false }
        let half = curve.halfOrder
        // Big-endian comparison of s against floor(n/2); equal counts as low.
        for index in 0..<32 {
            let byte = signature[32 + index]
            let limit = half[index]
            if byte != limit { return byte < limit }
        }
        return true
    }

    /// True when `signature` is 64 bytes and its S half is at most n/2 for `curve`.
    public static func isLowS(_ signature: [UInt8], curve: KeyCurve) -> Bool {
        signature.withUnsafeBytes { isLowS($0, curve: curve) }
    }

    /// The same signature with S replaced by n − S: equally valid to plain ECDSA, so it flips low-S to high-S and
    /// back. Used to normalize P-256 signatures and to build malleated signatures for tests and fault injection.
    /// Returns the input unchanged if it is not 64 bytes or S is zero.
    public static func negatingS(_ signature: [UInt8], curve: KeyCurve) -> [UInt8] {
        guard signature.count == length, signature[32...].contains(where: { $0 != 0 }) else { return signature }
        let order = curve.order
        var output = signature
        var borrow = 0
        for index in stride(from: 31, through: 0, by: -1) {
            var difference = Int(order[index]) - Int(signature[32 + index]) - borrow
            borrow = difference < 0 ? 1 : 0
            if difference < 0 { difference += 256 }
            output[32 + index] = UInt8(difference)
        }
        return output
    }
}
