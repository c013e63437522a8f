/// A strict, canonical DAG-CBOR reader over bytes: the fast path that reads fields without building a tree.
///
/// Every head is checked for the shortest form; lengths are checked against the remaining input before anything is
/// sliced, so a hostile length never drives an allocation. Callers walk maps with `readMapHeader` / `readMapKey`
/// (which enforces canonical key order) and read the fields they know, calling `skipValue` for the rest.
public struct DAGCBORReader: Sendable {
    /// CBOR major types.
    public enum MajorType: UInt8, Sendable {
        case unsigned = 0, negative, bytes, text, array, map, tag, simple
    }

    /// The whole buffer (items are read from `position` up to `end`).
    public let bytes: [UInt8]
    /// Offset of the next unread byte.
    public private(set) var position: Int
    /// Offset one past the last byte this reader may read.
    public let end: Int
    /// Caps for this input.
    public let limits: DAGCBORLimits
    /// Current nesting depth (maintained by `skipValue` and generic decoding).
    var depth = 0

    /// Creates a reader over `bytes[range]` (all of `bytes` by default).
    public init(_ bytes: [UInt8], range: Range<Int>? = nil, limits: DAGCBORLimits = .default) throws(DAGCBORError) {
        let range = range ?? 0..<bytes.count
        guard range.lowerBound >= 0, range.upperBound <= bytes.count else { throw .truncated }
        guard range.count <= limits.maxInputBytes else { throw .tooLarge }
        self.bytes = bytes
        self.position = range.lowerBound
        self.end = range.upperBound
        self.limits = limits
    }

    /// True when every byte was consumed.
    public var isAtEnd: Bool { position == end }

    /// Bytes left to read.
    public var remaining: Int { end - position }

    /// Throws `trailingBytes` unless the input was consumed exactly.
    public func expectEnd() throws(DAGCBORError) {
        guard position == end else { throw .trailingBytes }
    }

    /// The major type of the next item, without consuming it.
    public func peekMajorType() throws(DAGCBORError) -> MajorType {
        guard position < end else { throw .truncated }
        return MajorType(rawValue: bytes[position] >> 5) ?? .simple
    }

    /// True (without consuming) when the next item is `null`.
    public var nextIsNull: Bool { position < end && bytes[position] == 0xf6 }

    // MARK: heads

    /// Reads one head, enforcing shortest form; major 7 yields the simple value (20/21/22) as the argument.
    @inline(__always)
    mutating func readHead() throws(DAGCBORError) -> (major: UInt8, argument: UInt64) {
        guard position < end else { throw .truncated }
        let initial = bytes[position]
        let major = initial >> 5
        let info = initial & 0x1f
        position += 1
        if major == 7 {
            switch info {
            case 20, 21, 22: return (7, UInt64(info))
            case 25, 26, 27: throw .floatNotAllowed
            case 31: throw .indefiniteLength
            case 28, 29, 30: throw .reservedInfo
            default: throw .simpleValueNotAllowed
            }
        }
        if info < 24 { return (major, UInt64(info)) }
        let size: Int
        let minimum: UInt64
        switch info {
        case 24: size = 1; minimum = 24
        case 25: size = 2; minimum = 0x100
        case 26: size = 4; minimum = 0x1_0000
        case 27: size = 8; minimum = 0x1_0000_0000
        case 31: throw .indefiniteLength
        default: throw .reservedInfo
        }
        guard end - position >= size else { throw .truncated }
        var value: UInt64 = 0
        for offset in 0..<size {
            value = value << 8 | UInt64(bytes[position + offset])
        }
        position += size
        guard value >= minimum else { throw .nonCanonicalHead }
        return (major, value)
    }

    /// Reads a head and checks its major type.
    @inline(__always)
    mutating func readHead(major expected: MajorType, name: String) throws(DAGCBORError) -> UInt64 {
        let head = try readHead()
        guard head.major == expected.rawValue else { throw .unexpectedType(expected: name) }
        return head.argument
    }

    /// Converts a length argument into an Int that fits the remaining input (each unit at least `unitSize` bytes).
    /// Call it only after the head was read (as its own statement), so `remaining` is measured past the head.
    @inline(__always)
    func checkedLength(_ argument: UInt64, unitSize: Int = 1) throws(DAGCBORError) -> Int {
        guard argument <= UInt64(remaining / unitSize) else { throw .truncated }
        return Int(argument)
    }

    // MARK: scalars

    /// Reads an integer (major 0 or 1) within the signed 64-bit range.
    public mutating func readInteger() throws(DAGCBORError) -> Int64 {
        let head = try readHead()
        switch head.major {
        case 0:
            guard head.argument <= UInt64(Int64.max) else { throw .integerOutOfRange }
            return Int64(head.argument)
        case 1:
            guard head.argument <= UInt64(Int64.max) else { throw .integerOutOfRange }
            return -1 - Int64(head.argument)
        default:
            throw .unexpectedType(expected: "integer")
        }
    }

    /// Reads `true` or `false`.
    public mutating func readBool() throws(DAGCBORError) -> Bool {
        guard position < end else { throw .truncated }
        switch bytes[position] {
        case 0xf4: position += 1; return false
        case 0xf5: position += 1; return true
        default: throw .unexpectedType(expected: "boolean")
        }
    }

    /// Consumes a `null`.
    public mutating func readNull() throws(DAGCBORError) {
        guard position < end else { throw .truncated }
        guard bytes[position] == 0xf6 else { throw .unexpectedType(expected: "null") }
        position += 1
    }

    /// Reads a text string and returns the range of its (validated UTF-8) bytes in `bytes`.
    public mutating func readTextRange() throws(DAGCBORError) -> Range<Int> {
        let argument = try readHead(major: .text, name: "string")
        let length = try checkedLength(argument)
        let range = position..<(position + length)
        let valid = bytes.withUnsafeBytes { UTF8Validation.isValid(UnsafeRawBufferPointer(rebasing: $0[range])) }
        guard valid else { throw .invalidUTF8 }
        position += length
        return range
    }

    /// Reads a text string.
    public mutating func readString() throws(DAGCBORError) -> String {
        let range = try readTextRange()
        return String(decoding: bytes[range], as: UTF8.self)
    }

    /// Reads a text string or `null`.
    public mutating func readOptionalString() throws(DAGCBORError) -> String? {
        if nextIsNull {
            position += 1
            return nil
        }
        return try readString()
    }

    /// Reads a byte string and returns the range of its content in `bytes`.
    public mutating func readBytesRange() throws(DAGCBORError) -> Range<Int> {
        let argument = try readHead(major: .bytes, name: "bytes")
        let length = try checkedLength(argument)
        let range = position..<(position + length)
        position += length
        return range
    }

    /// Reads a byte string (sharing storage with the input).
    public mutating func readBytes() throws(DAGCBORError) -> ArraySlice<UInt8> {
        bytes[try readBytesRange()]
    }

    /// Reads a CID link (tag 42 over a byte string `0x00 || binary CID`).
    public mutating func readLink() throws(DAGCBORError) -> CID {
        let tag = try readHead(major: .tag, name: "link")
        guard tag == 42 else { throw .tagNotAllowed(tag) }
        return try readLinkPayload()
    }

    /// Reads a link or `null`.
    public mutating func readOptionalLink() throws(DAGCBORError) -> CID? {
        if nextIsNull {
            position += 1
            return nil
        }
        return try readLink()
    }

    mutating func readLinkPayload() throws(DAGCBORError) -> CID {
        let cidRange = try readLinkPayloadRange()
        // Parsed in place (the buffer ends where the payload ends, so trailing bytes are refused as before).
        let cid: CID? = bytes.withUnsafeBytes { buffer in
            var offset = cidRange.lowerBound
            let bounded = UnsafeRawBufferPointer(rebasing: buffer[..<cidRange.upperBound])
            guard let cid = try? CID.parse(bounded, offset: &offset), offset == cidRange.upperBound else { return nil }
            return cid
        }
        guard let cid else { throw .invalidLink }
        return cid
    }

    /// Reads a link or `null` without building a `CID`: the range of the binary CID in `bytes` (checked exactly as
    /// `readOptionalLink` checks it), for decoders that turn only the links they follow into `CID`s.
    public mutating func readOptionalLinkRange() throws(DAGCBORError) -> Range<Int>? {
        if nextIsNull {
            position += 1
            return nil
        }
        return try readLinkRange()
    }

    /// Reads a link without building a `CID`: the range of the binary CID in `bytes`, checked as `readLink` checks it.
    public mutating func readLinkRange() throws(DAGCBORError) -> Range<Int> {
        let tag = try readHead(major: .tag, name: "link")
        guard tag == 42 else { throw .tagNotAllowed(tag) }
        let cidRange = try readLinkPayloadRange()
        let valid = bytes.withUnsafeBytes { CID.isValidBinary(UnsafeRawBufferPointer(rebasing: $0[cidRange])) }
        guard valid else { throw .invalidLink }
        return cidRange
    }

    /// Reads the byte string of a link payload (`0x00 || binary CID`) and returns the CID's range, unchecked.
    @inline(__always)
    mutating func readLinkPayloadRange() throws(DAGCBORError) -> Range<Int> {
        let head = try readHead()
        guard head.major == MajorType.bytes.rawValue else { throw .invalidLink }
        let length = try checkedLength(head.argument)
        guard length >= 2, bytes[position] == 0x00 else { throw .invalidLink }
        let cidRange = (position + 1)..<(position + length)
        position += length
        return cidRange
    }

    /// Validates a link payload without building a `CID` (the skip path of the hot decoders).
    mutating func skipLinkPayload() throws(DAGCBORError) {
        let cidRange = try readLinkPayloadRange()
        let valid = bytes.withUnsafeBytes { CID.isValidBinary(UnsafeRawBufferPointer(rebasing: $0[cidRange])) }
        guard valid else { throw .invalidLink }
    }

    // MARK: collections

    /// Reads an array head and returns its element count (checked against caps and the remaining input).
    public mutating func readArrayHeader() throws(DAGCBORError) -> Int {
        let argument = try readHead(major: .array, name: "array")
        guard argument <= UInt64(limits.maxCollectionCount) else { throw .tooLarge }
        return try checkedLength(argument)
    }

    /// Reads a map head and returns its entry count (checked against caps and the remaining input).
    public mutating func readMapHeader() throws(DAGCBORError) -> Int {
        let argument = try readHead(major: .map, name: "map")
        guard argument <= UInt64(limits.maxCollectionCount) else { throw .tooLarge }
        return try checkedLength(argument, unitSize: 2)
    }

    /// Reads a map key, enforcing text keys in canonical (length-first, then bytewise) order after `previous`.
    public mutating func readMapKey(after previous: Range<Int>?) throws(DAGCBORError) -> Range<Int> {
        guard position < end else { throw .truncated }
        guard bytes[position] >> 5 == MajorType.text.rawValue else { throw .mapKeyNotString }
        let key: Range<Int>
        if bytes[position] == 0x61, end - position >= 2, bytes[position + 1] < 0x80 {
            // A one-byte ASCII key (every field of the hot records): valid UTF-8 by construction.
            key = (position + 1)..<(position + 2)
            position += 2
        } else {
            key = try readTextRange()
        }
        if let previous {
            switch compareKeys(previous, key) {
            case .orderedAscending: break
            case .orderedSame: throw .duplicateMapKey
            case .orderedDescending: throw .mapKeysOutOfOrder
            }
        }
        return key
    }

    /// True when the bytes at `range` spell `key`.
    @inline(__always)
    public func key(_ range: Range<Int>, is key: StaticString) -> Bool {
        guard range.count == key.utf8CodeUnitCount else { return false }
        return key.withUTF8Buffer { literal in
            bytes.withUnsafeBufferPointer { own in
                memcmpEqual(own.baseAddress.map { $0 + range.lowerBound }, literal.baseAddress, range.count)
            }
        }
    }

    /// Compares two keys in `bytes` by DAG-CBOR canonical order.
    func compareKeys(_ lhs: Range<Int>, _ rhs: Range<Int>) -> KeyOrder {
        if lhs.count != rhs.count { return lhs.count < rhs.count ? .orderedAscending : .orderedDescending }
        var left = lhs.lowerBound
        var right = rhs.lowerBound
        while left < lhs.upperBound {
            let a = bytes[left]
            let b = bytes[right]
            if a != b { return a < b ? .orderedAscending : .orderedDescending }
            left += 1
            right += 1
        }
        return .orderedSame
    }

    /// Ordering of two map keys.
    enum KeyOrder { case orderedAscending, orderedSame, orderedDescending }

    // MARK: skipping

    /// Skips (and fully validates) the next item, whatever it is.
    public mutating func skipValue() throws(DAGCBORError) {
        let head = try readHead()
        switch head.major {
        case 0, 1:
            guard head.argument <= UInt64(Int64.max) else { throw .integerOutOfRange }
        case 2:
            position += try checkedLength(head.argument)
        case 3:
            let length = try checkedLength(head.argument)
            let range = position..<(position + length)
            let valid = bytes.withUnsafeBytes { UTF8Validation.isValid(UnsafeRawBufferPointer(rebasing: $0[range])) }
            guard valid else { throw .invalidUTF8 }
            position += length
        case 4:
            guard head.argument <= UInt64(limits.maxCollectionCount) else { throw .tooLarge }
            let count = try checkedLength(head.argument)
            try enterNested()
            for _ in 0..<count { try skipValue() }
            depth -= 1
        case 5:
            guard head.argument <= UInt64(limits.maxCollectionCount) else { throw .tooLarge }
            let count = try checkedLength(head.argument, unitSize: 2)
            try enterNested()
            var previous: Range<Int>? = nil
            for _ in 0..<count {
                previous = try readMapKey(after: previous)
                try skipValue()
            }
            depth -= 1
        case 6:
            guard head.argument == 42 else { throw .tagNotAllowed(head.argument) }
            try skipLinkPayload()
        default:
            break  // true, false, null (everything else was rejected by readHead)
        }
    }

    @inline(__always)
    mutating func enterNested() throws(DAGCBORError) {
        depth += 1
        guard depth <= limits.maxDepth else { throw .depthExceeded }
    }

    /// Skips the next item and returns the byte range it occupied.
    public mutating func skipValueRange() throws(DAGCBORError) -> Range<Int> {
        let start = position
        try skipValue()
        return start..<position
    }
}

@inline(__always)
func memcmpEqual(_ lhs: UnsafePointer<UInt8>?, _ rhs: UnsafePointer<UInt8>?, _ count: Int) -> Bool {
    guard count > 0 else { return true }
    guard let lhs, let rhs else { return false }
    for index in 0..<count where lhs[index] != rhs[index] {
        return false
    }
    return true
}
