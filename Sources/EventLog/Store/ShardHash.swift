import Crypto

/// The shard key of a DID (design §5): the first 8 bytes of SHA-256 of its UTF-8 bytes, read big-endian.
public enum ShardHash {
    /// The shard hash of `did`.
    public static func of(did: String) -> UInt64 {
        var did = did
        return did.withUTF8 { of(didBytes: UnsafeRawBufferPointer($0)) }
    }

    /// The shard hash of a DID given as UTF-8 bytes.
    public static func of(didBytes: UnsafeRawBufferPointer) -> UInt64 {
        let digest = SHA256.hash(data: didBytes)
        return digest.withUnsafeBytes { bytes in
            var value: UInt64 = 0
            for index in 0..<8 { value = value << 8 | UInt64(bytes[index]) }
            return value
        }
    }
}

/// "Shard `index` of `count`" (design §5): `count` is a power of two in 1…256 and a DID with hash `h` is in shard
/// `h >> (64 − log2 count)`, so shard i of N is exactly shards 2i and 2i+1 of 2N.
public struct ShardFilter: Hashable, Sendable, CustomStringConvertible {
    /// Number of shards.
    public let count: Int
    /// This shard, 0 ≤ index < count.
    public let index: Int
    private let shift: UInt64

    /// Errors for invalid shard parameters.
    public enum Invalid: Error, Equatable, Sendable {
        /// `count` is not a power of two in 1…256.
        case count(Int)
        /// `index` is outside 0..<count.
        case index(Int, count: Int)
    }

    /// Validates and creates a filter.
    public init(index: Int, count: Int) throws(Invalid) {
        guard count >= 1, count <= 256, count & (count - 1) == 0 else { throw .count(count) }
        guard index >= 0, index < count else { throw .index(index, count: count) }
        self.count = count
        self.index = index
        self.shift = UInt64(64 - count.trailingZeroBitCount)
    }

    /// The shard of `hash` among `count` shards.
    public func shard(of hash: UInt64) -> Int { count == 1 ? 0 : Int(hash >> shift) }

    /// Whether an event with DID hash `hash` belongs to this shard.
    @inline(__always)
    public func contains(_ hash: UInt64) -> Bool { count == 1 || hash >> shift == UInt64(index) }

    public var description: String { "shard \(index) of \(count)" }
}
