import Foundation

/// A timestamp identifier: a 64-bit integer (53 bits of microseconds since the Unix epoch, then a 10-bit clock id)
/// written as 13 characters of base32-sortable, so string order equals numeric order. Used for revs and record keys.
public struct TID: SyntaxChecked, Comparable {
    /// Length of every TID string.
    public static let length = 13
    /// Largest timestamp a TID carries (53 bits of microseconds).
    public static let maxMicroseconds: UInt64 = (1 << 53) - 1
    /// Largest clock id (10 bits).
    public static let maxClockID: UInt16 = (1 << 10) - 1
    /// The base32-sortable alphabet, in value order.
    static let alphabet: StaticString = "234567abcdefghijklmnopqrstuvwxyz"

    /// The integer value.
    public let rawValue: UInt64

    /// Wraps an integer. Every `UInt64` has a 13-character form the TID grammar accepts.
    public init(rawValue: UInt64) { self.rawValue = rawValue }

    /// Builds a TID from a timestamp and a clock id; throws if either exceeds its bit width.
    public init(microsecondsSinceEpoch: UInt64, clockID: UInt16) throws(SyntaxError) {
        guard microsecondsSinceEpoch <= TID.maxMicroseconds, clockID <= TID.maxClockID else {
            throw .outOfRange(.tid)
        }
        self.rawValue = microsecondsSinceEpoch << 10 | UInt64(clockID)
    }

    /// Builds a TID for `date` (truncated to whole microseconds); throws for dates before 1970 or past 2255.
    public init(date: Date, clockID: UInt16) throws(SyntaxError) {
        let micros = (date.timeIntervalSince1970 * 1_000_000).rounded(.down)
        guard micros >= 0, micros <= Double(TID.maxMicroseconds) else { throw .outOfRange(.tid) }
        try self.init(microsecondsSinceEpoch: UInt64(micros), clockID: clockID)
    }

    /// Parses the 13-character string form.
    public init(_ string: String) throws(SyntaxError) {
        var value: UInt64 = 0
        if let error = string.checkUTF8({ TID.decode($0, into: &value) }) { throw error }
        self.rawValue = value
    }

    /// Parses the string form from UTF-8 bytes. Allocation-free.
    public init(utf8 bytes: UnsafeRawBufferPointer) throws(SyntaxError) {
        var value: UInt64 = 0
        if let error = TID.decode(bytes, into: &value) { throw error }
        self.rawValue = value
    }

    /// True if `string` is a syntactically valid TID.
    public static func isValid(_ string: String) -> Bool {
        var value: UInt64 = 0
        return string.checkUTF8 { decode($0, into: &value) } == nil
    }

    /// True if the UTF-8 `bytes` form a syntactically valid TID. Allocation-free.
    public static func isValid(utf8 bytes: UnsafeRawBufferPointer) -> Bool {
        var value: UInt64 = 0
        return decode(bytes, into: &value) == nil
    }

    /// Throws the reason `string` is not a valid TID.
    public static func validate(_ string: String) throws(SyntaxError) {
        _ = try TID(string)
    }

    /// Microseconds since the Unix epoch (bits 10 and up).
    public var microsecondsSinceEpoch: UInt64 { rawValue >> 10 }

    /// The clock id (low 10 bits).
    public var clockID: UInt16 { UInt16(truncatingIfNeeded: rawValue & UInt64(TID.maxClockID)) }

    /// The timestamp as a `Date` (microsecond precision, subject to `Double` rounding).
    public var date: Date { Date(timeIntervalSince1970: Double(microsecondsSinceEpoch) / 1_000_000) }

    /// The 13-character string form. Fits a small string, so it does not allocate.
    public var string: String {
        String(unsafeUninitializedCapacity: TID.length) { buffer in
            let alphabet = TID.alphabet.utf8Start
            for position in 0..<TID.length {
                let shift = UInt64(5 * (TID.length - 1 - position))
                buffer[position] = alphabet[Int((rawValue >> shift) & 31)]
            }
            return TID.length
        }
    }

    /// Numeric order, which equals string order.
    public static func < (lhs: TID, rhs: TID) -> Bool { lhs.rawValue < rhs.rawValue }

    /// Value of one base32-sortable character, or nil.
    @inline(__always)
    static func digit(_ byte: UInt8) -> UInt64? {
        if byte &- UInt8(ascii: "2") < 6 { return UInt64(byte &- UInt8(ascii: "2")) }
        if ASCII.isLower(byte) { return UInt64(byte &- UInt8(ascii: "a")) + 6 }
        return nil
    }

    /// Grammar: `[234567abcdefghij][234567abcdefghijklmnopqrstuvwxyz]{12}`; decodes while checking.
    static func decode(_ bytes: UnsafeRawBufferPointer, into value: inout UInt64) -> SyntaxError? {
        if bytes.count != length { return .wrongLength(.tid, expected: length) }
        var result: UInt64 = 0
        for index in 0..<length {
            guard let digit = digit(bytes[index]) else { return .unexpectedCharacter(.tid, offset: index) }
            // 13 × 5 = 65 bits: the first character may only carry 4.
            if index == 0 && digit > 15 { return .unexpectedCharacter(.tid, offset: 0) }
            result = result << 5 | digit
        }
        value = result
        return nil
    }
}
