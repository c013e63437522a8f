import ATData

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// MST keys: `<collection>/<record key>` as UTF-8 bytes, and their layer (2-bit leading zeros of SHA-256).
public enum MSTKey {
    /// Longest key accepted (NSID 317 + "/" + record key 512 fits; anything longer is abuse).
    public static let maxLength = 1024

    /// The layer of `key`: leading zero bits of SHA-256(key), counted in pairs (fanout 4).
    @inline(__always)
    public static func layer(of key: some Collection<UInt8>) -> Int {
        if let direct = key.withContiguousStorageIfAvailable({ layer(bytes: UnsafeRawBufferPointer($0)) }) {
            return direct
        }
        return Array(key).withUnsafeBytes { layer(bytes: $0) }
    }

    /// The layer of the key bytes in `key` (hashed without allocating).
    @inline(__always)
    static func layer(bytes key: UnsafeRawBufferPointer) -> Int { SHA256Digest(of: key).leadingZeroBits / 2 }

    /// The layer of a string key.
    public static func layer(of key: String) -> Int { layer(of: Array(key.utf8)) }

    /// True when `key` is a valid repo path: exactly two non-empty segments of `A-Za-z0-9 . - _ ~ :` (no `:` in the
    /// collection), neither `.` nor `..`.
    public static func isValid(_ key: some Collection<UInt8>) -> Bool {
        if let result = key.withContiguousStorageIfAvailable({ isValid(bytes: $0) }) { return result }
        return Array(key).withUnsafeBufferPointer { isValid(bytes: $0) }
    }

    /// Byte flags for key validation: bit 0 allowed, bit 1 `:`, bit 2 `/`, bit 3 `.` (0 = not allowed).
    private static let byteFlags: [UInt8] = {
        var table = [UInt8](repeating: 0, count: 256)
        for byte in UInt8(ascii: "a")...UInt8(ascii: "z") { table[Int(byte)] = 1 }
        for byte in UInt8(ascii: "A")...UInt8(ascii: "Z") { table[Int(byte)] = 1 }
        for byte in UInt8(ascii: "0")...UInt8(ascii: "9") { table[Int(byte)] = 1 }
        for byte in [UInt8(ascii: "-"), UInt8(ascii: "_"), UInt8(ascii: "~")] { table[Int(byte)] = 1 }
        table[Int(UInt8(ascii: ":"))] = 1 | 2
        table[Int(UInt8(ascii: "/"))] = 1 | 4
        table[Int(UInt8(ascii: "."))] = 1 | 8
        return table
    }()

    /// Branch-light form of `isValid` (keys of every decoded node pass through here).
    static func isValid(bytes key: UnsafeBufferPointer<UInt8>) -> Bool {
        let count = key.count
        guard count > 0, count <= maxLength else { return false }
        return byteFlags.withUnsafeBufferPointer { flags in
            var allowed: UInt8 = 1
            var slashes = 0
            for byte in key {
                let flag = flags[Int(byte)]
                allowed &= flag
                slashes &+= Int((flag >> 2) & 1)
            }
            guard allowed == 1, slashes == 1 else { return false }
            var slash = 0
            while key[slash] != UInt8(ascii: "/") { slash += 1 }
            guard slash > 0, slash < count - 1 else { return false }
            var colon: UInt8 = 0
            for index in 0..<slash { colon |= flags[Int(key[index])] & 2 }
            guard colon == 0 else { return false }
            // Neither segment may be `.` or `..`.
            func dotsOnly(_ range: Range<Int>) -> Bool {
                range.count <= 2 && range.allSatisfy { key[$0] == UInt8(ascii: ".") }
            }
            return !dotsOnly(0..<slash) && !dotsOnly((slash + 1)..<count)
        }
    }

    /// Bytewise order of two keys: negative, zero or positive (memcmp semantics, shorter prefix first).
    @inline(__always)
    static func compare(_ lhs: [UInt8], _ rhs: [UInt8]) -> Int {
        lhs.withUnsafeBufferPointer { left in
            rhs.withUnsafeBufferPointer { right in compare(left, right) }
        }
    }

    @inline(__always)
    static func compare(_ lhs: UnsafeBufferPointer<UInt8>, _ rhs: UnsafeBufferPointer<UInt8>) -> Int {
        let shared = Swift.min(lhs.count, rhs.count)
        if shared > 0, let left = lhs.baseAddress, let right = rhs.baseAddress {
            let order = memcmp(left, right, shared)
            if order != 0 { return Int(order) }
        }
        return lhs.count - rhs.count
    }

    /// `compare` for key slices (keys moved out of a decoded node's buffer).
    @inline(__always)
    static func compare(_ lhs: ArraySlice<UInt8>, _ rhs: ArraySlice<UInt8>) -> Int {
        lhs.withUnsafeBufferPointer { left in
            rhs.withUnsafeBufferPointer { right in compare(left, right) }
        }
    }

    /// True when `lhs` sorts strictly before `rhs`.
    @inline(__always)
    static func precedes(_ lhs: [UInt8], _ rhs: [UInt8]) -> Bool { compare(lhs, rhs) < 0 }

    /// Number of leading bytes two keys share.
    public static func commonPrefixLength(_ lhs: some Collection<UInt8>, _ rhs: some Collection<UInt8>) -> Int {
        var count = 0
        for (left, right) in zip(lhs, rhs) {
            guard left == right else { break }
            count += 1
        }
        return count
    }

    /// `commonPrefixLength` for arrays, without iterator overhead.
    @inline(__always)
    static func sharedPrefix(_ lhs: [UInt8], _ rhs: [UInt8]) -> Int { sharedPrefix(lhs[...], rhs[...]) }

    /// `commonPrefixLength` for key slices, without iterator overhead.
    @inline(__always)
    static func sharedPrefix(_ lhs: ArraySlice<UInt8>, _ rhs: ArraySlice<UInt8>) -> Int {
        lhs.withUnsafeBufferPointer { left in
            rhs.withUnsafeBufferPointer { right in
                let limit = Swift.min(left.count, right.count)
                var count = 0
                while count < limit, left[count] == right[count] { count += 1 }
                return count
            }
        }
    }
}
