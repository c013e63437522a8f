import Crypto

/// MST keys: `<collection>/<record key>` as UTF-8 bytes, and their layer (2-bit leading zeros of SHA-256).
public enum MSTKey {
    /// Longest key accepted (NSID 317 + "/" + record key 512 fits; anything longer is abuse).
    public static let maxLength = 1024

    /// The layer of `key`: leading zero bits of SHA-256(key), counted in pairs (fanout 4).
    @inline(__always)
    public static func layer(of key: some Collection<UInt8>) -> Int {
        let digest: SHA256.Digest
        if let direct = key.withContiguousStorageIfAvailable({ SHA256.hash(data: UnsafeRawBufferPointer($0)) }) {
            digest = direct
        } else {
            digest = SHA256.hash(data: Array(key))
        }
        return digest.withUnsafeBytes { bytes in
            var zeros = 0
            for byte in bytes {
                if byte == 0 {
                    zeros += 8
                    continue
                }
                zeros += byte.leadingZeroBitCount
                break
            }
            return zeros / 2
        }
    }

    /// The layer of a string key.
    public static func layer(of key: String) -> Int { layer(of: Array(key.utf8)) }

    /// True when `key` is a valid repo path: exactly two non-empty segments of `A-Za-z0-9 . - _ ~ :` (no `:` in the
    /// collection), neither `.` nor `..`.
    public static func isValid(_ key: some Collection<UInt8>) -> Bool {
        guard !key.isEmpty, key.count <= maxLength else { return false }
        var slashes = 0
        var segmentLength = 0
        var segmentAllDots = true
        var firstSegmentBad = false
        for byte in key {
            switch byte {
            case UInt8(ascii: "/"):
                slashes += 1
                if segmentLength == 0 || (segmentAllDots && segmentLength <= 2) { return false }
                segmentLength = 0
                segmentAllDots = true
                continue
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
                UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "_"), UInt8(ascii: "~"):
                segmentAllDots = false
            case UInt8(ascii: "."):
                break
            case UInt8(ascii: ":"):
                if slashes == 0 { firstSegmentBad = true }
                segmentAllDots = false
            default:
                return false
            }
            segmentLength += 1
        }
        if firstSegmentBad || slashes != 1 || segmentLength == 0 { return false }
        return !(segmentAllDots && segmentLength <= 2)
    }

    /// Number of leading bytes two keys share.
    public static func commonPrefixLength(_ lhs: some Collection<UInt8>, _ rhs: some Collection<UInt8>) -> Int {
        var count = 0
        for (left, right) in zip(lhs, rhs) {
            guard left == right else { break }
            count += 1
        }
        return count
    }
}
