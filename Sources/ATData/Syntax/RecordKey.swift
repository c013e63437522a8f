/// A syntactically valid record key (the last path segment of a record: a TID, `self`, or any allowed string).
public struct RecordKey: SyntaxChecked, Comparable {
    /// Longest accepted record key in bytes.
    public static let maxLength = 512

    /// The checked string (case-sensitive).
    public let string: String

    /// Checks and wraps `string`.
    public init(_ string: String) throws(SyntaxError) {
        if let error = string.checkUTF8(RecordKey.check) { throw error }
        self.string = string
    }

    /// Checks UTF-8 bytes and wraps them.
    public init(utf8 bytes: UnsafeRawBufferPointer) throws(SyntaxError) {
        if let error = RecordKey.check(bytes) { throw error }
        self.string = String(checkedASCII: bytes)
    }

    /// True if `string` is a syntactically valid record key.
    public static func isValid(_ string: String) -> Bool { string.checkUTF8(check) == nil }

    /// True if the UTF-8 `bytes` form a syntactically valid record key. Allocation-free.
    public static func isValid(utf8 bytes: UnsafeRawBufferPointer) -> Bool { check(bytes) == nil }

    /// Throws the reason `string` is not a valid record key.
    public static func validate(_ string: String) throws(SyntaxError) {
        if let error = string.checkUTF8(check) { throw error }
    }

    /// Orders by UTF-8 bytes (the MST key order).
    public static func < (lhs: RecordKey, rhs: RecordKey) -> Bool {
        lhs.string.utf8.lexicographicallyPrecedes(rhs.string.utf8)
    }

    /// Grammar: `[A-Za-z0-9._:~-]{1,512}`, except `.` and `..`.
    static func check(_ bytes: UnsafeRawBufferPointer) -> SyntaxError? {
        let count = bytes.count
        if count == 0 { return .empty(.recordKey) }
        if count > maxLength { return .tooLong(.recordKey, maximum: maxLength) }
        for index in 0..<count {
            let byte = bytes[index]
            if !(ASCII.isAlphanumeric(byte) || byte == ASCII.dot || byte == ASCII.hyphen || byte == ASCII.colon
                || byte == UInt8(ascii: "_") || byte == UInt8(ascii: "~"))
            {
                return .unexpectedCharacter(.recordKey, offset: index)
            }
        }
        if bytes[0] == ASCII.dot && (count == 1 || (count == 2 && bytes[1] == ASCII.dot)) {
            return .reservedValue(.recordKey)
        }
        return nil
    }
}
