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
    static func isValid(bytes key: UnsafeBufferPointer<UInt8>) -> Bool { validatedSlash(bytes: key) != nil }

    /// The index of the `/` in `key` if the key is valid (the rule of `isValid`), nil if it is not. One pass over
    /// the bytes with a flag table.
    static func validatedSlash(bytes key: UnsafeBufferPointer<UInt8>) -> Int? {
        let count = key.count
        guard count > 0, count <= maxLength else { return nil }
        return byteFlags.withUnsafeBufferPointer { flags -> Int? in
            var allowed: UInt8 = 1
            var slashes = 0
            var slash = 0
            var colonBeforeSlash: UInt8 = 0
            for index in 0..<count {
                let flag = flags[Int(key[index])]
                allowed &= flag
                let isSlash = Int((flag >> 2) & 1)
                if isSlash != 0 { slash = index }
                slashes &+= isSlash
                // Until the slash is seen, a colon counts (the collection may not hold one).
                colonBeforeSlash |= slashes == 0 ? flag & 2 : 0
            }
            guard allowed == 1, slashes == 1, colonBeforeSlash == 0, slash > 0, slash < count - 1 else { return nil }
            guard !dotsOnly(key, 0..<slash), !dotsOnly(key, (slash + 1)..<count) else { return nil }
            return slash
        }
    }

    /// `validatedSlash` for a key whose first `shared` bytes equal those of a valid key with its `/` at `slash`,
    /// where `shared > slash`: the collection is the same valid one, so only the rest of the record key is checked
    /// (its bytes allowed and no second `/`, the length, and that it is not `.` or `..`).
    static func validatedSlash(bytes key: UnsafeBufferPointer<UInt8>, sharing shared: Int, withSlashAt slash: Int)
        -> Int?
    {
        let count = key.count
        guard shared > slash, shared <= count, count <= maxLength else { return nil }
        return byteFlags.withUnsafeBufferPointer { flags -> Int? in
            var allowed: UInt8 = 1
            var slashes: UInt8 = 0
            for index in shared..<count {
                let flag = flags[Int(key[index])]
                allowed &= flag
                slashes |= flag & 4
            }
            guard allowed == 1, slashes == 0, slash < count - 1, !dotsOnly(key, (slash + 1)..<count) else { return nil }
            return slash
        }
    }

    /// True for a segment that is `.` or `..`.
    @inline(__always)
    private static func dotsOnly(_ key: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) -> Bool {
        range.count <= 2 && range.allSatisfy { key[$0] == UInt8(ascii: ".") }
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
