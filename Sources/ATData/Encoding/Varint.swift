/// Unsigned LEB128 varints as used by multiformats (CIDs, multicodec prefixes, CAR section lengths).
public enum Varint {
    /// Longest varint accepted (multiformats caps unsigned varints at 9 bytes, 63 bits).
    public static let maxEncodedLength = 9

    /// Errors from decoding a varint.
    public enum DecodeError: Error, Equatable, Sendable {
        case truncated
        case tooLong
        case nonMinimal
    }

    /// Appends the minimal encoding of `value` to `output`.
    public static func encode(_ value: UInt64, into output: inout [UInt8]) {
        var remaining = value
        while remaining >= 0x80 {
            output.append(UInt8(truncatingIfNeeded: remaining) | 0x80)
            remaining >>= 7
        }
        output.append(UInt8(remaining))
    }

    /// Returns the minimal encoding of `value`.
    public static func encode(_ value: UInt64) -> [UInt8] {
        var output: [UInt8] = []
        output.reserveCapacity(encodedLength(value))
        encode(value, into: &output)
        return output
    }

    /// Number of bytes the minimal encoding of `value` takes.
    public static func encodedLength(_ value: UInt64) -> Int {
        var length = 1
        var remaining = value >> 7
        while remaining != 0 {
            length += 1
            remaining >>= 7
        }
        return length
    }

    /// Decodes a varint starting at `offset`, advancing it; rejects non-minimal and over-long encodings.
    public static func decode(_ bytes: UnsafeRawBufferPointer, offset: inout Int) throws(DecodeError) -> UInt64 {
        var value: UInt64 = 0
        var shift: UInt64 = 0
        var index = offset
        while true {
            guard index < bytes.count else { throw .truncated }
            let byte = bytes[index]
            index += 1
            value |= UInt64(byte & 0x7f) << shift
            if byte & 0x80 == 0 {
                // A final zero byte after at least one continuation byte means a shorter encoding existed.
                if byte == 0 && index - offset > 1 { throw .nonMinimal }
                offset = index
                return value
            }
            shift += 7
            if index - offset >= maxEncodedLength { throw .tooLong }
        }
    }

    /// Decodes a varint from the start of `bytes`, returning the value and the number of bytes read.
    public static func decode(_ bytes: some Collection<UInt8>) throws(DecodeError) -> (value: UInt64, length: Int) {
        var value: UInt64 = 0
        var shift: UInt64 = 0
        var length = 0
        for byte in bytes {
            length += 1
            value |= UInt64(byte & 0x7f) << shift
            if byte & 0x80 == 0 {
                if byte == 0 && length > 1 { throw .nonMinimal }
                return (value, length)
            }
            shift += 7
            if length >= maxEncodedLength { throw .tooLong }
        }
        throw .truncated
    }
}
