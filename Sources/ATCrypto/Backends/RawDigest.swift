import Crypto
import FoundationEssentials

/// A caller-supplied 32-byte SHA-256 digest in the shape swift-crypto's ECDSA API accepts.
struct RawDigest: Digest {
    static let byteCount = 32

    /// The digest words in memory order (a homogeneous tuple has C layout, so its bytes are the digest).
    private var words: (UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0)

    /// Copies exactly 32 bytes; nil for any other length.
    init?(_ bytes: UnsafeRawBufferPointer) {
        guard bytes.count == Self.byteCount else { return nil }
        withUnsafeMutableBytes(of: &words) { $0.copyMemory(from: bytes) }
    }

    func withUnsafeBytes<R>(_ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        try Swift.withUnsafeBytes(of: words, body)
    }

    func makeIterator() -> Array<UInt8>.Iterator {
        withUnsafeBytes { Array($0) }.makeIterator()
    }

    var description: String { "RawDigest(\(Array(self)))" }

    static func == (lhs: RawDigest, rhs: RawDigest) -> Bool {
        lhs.words == rhs.words
    }

    func hash(into hasher: inout Hasher) {
        withUnsafeBytes { hasher.combine(bytes: $0) }
    }
}
