/// A syntactically valid DID (`did:<method>:<identifier>`), kept exactly as given (DIDs are case-sensitive).
///
/// Only the generic DID grammar is checked here; whether the method is supported (`plc`, `web`) is a resolver
/// decision, see `isPLC` / `isWeb`.
public struct DID: SyntaxChecked, Comparable {
    /// Longest accepted DID in UTF-8 bytes (protocol limit).
    public static let maxLength = 2048

    /// The checked string.
    public let string: String

    /// Checks and wraps `string`.
    public init(_ string: String) throws(SyntaxError) {
        if let error = string.checkUTF8(DID.check) { throw error }
        self.string = string
    }

    /// Checks UTF-8 bytes (e.g. straight out of a CBOR text string) and wraps them.
    public init(utf8 bytes: UnsafeRawBufferPointer) throws(SyntaxError) {
        if let error = DID.check(bytes) { throw error }
        self.string = String(checkedASCII: bytes)
    }

    init(unchecked string: String) { self.string = string }

    /// True if `string` is a syntactically valid DID.
    public static func isValid(_ string: String) -> Bool { string.checkUTF8(check) == nil }

    /// True if the UTF-8 `bytes` form a syntactically valid DID. Allocation-free.
    public static func isValid(utf8 bytes: UnsafeRawBufferPointer) -> Bool { check(bytes) == nil }

    /// Throws the reason `string` is not a valid DID.
    public static func validate(_ string: String) throws(SyntaxError) {
        if let error = string.checkUTF8(check) { throw error }
    }

    /// The method name (`plc`, `web`, ...).
    public var method: Substring {
        let afterPrefix = string.utf8.index(string.utf8.startIndex, offsetBy: 4)
        let end = string.utf8[afterPrefix...].firstIndex(of: ASCII.colon) ?? string.utf8.endIndex
        return string[afterPrefix..<end]
    }

    /// The method-specific identifier (everything after the second colon).
    public var identifier: Substring {
        let afterPrefix = string.utf8.index(string.utf8.startIndex, offsetBy: 4)
        guard let colon = string.utf8[afterPrefix...].firstIndex(of: ASCII.colon) else { return "" }
        return string[string.utf8.index(after: colon)...]
    }

    /// True for `did:plc:` DIDs.
    public var isPLC: Bool { string.utf8.starts(with: "did:plc:".utf8) }

    /// True for `did:web:` DIDs.
    public var isWeb: Bool { string.utf8.starts(with: "did:web:".utf8) }

    /// Orders by UTF-8 bytes, matching the byte order used for storage keys.
    public static func < (lhs: DID, rhs: DID) -> Bool { lhs.string.utf8.lexicographicallyPrecedes(rhs.string.utf8) }

    /// Grammar: `did:` `[a-z]+` `:` `[a-zA-Z0-9._:%-]*[a-zA-Z0-9._-]`, at most 2048 bytes.
    static func check(_ bytes: UnsafeRawBufferPointer) -> SyntaxError? {
        let count = bytes.count
        if count == 0 { return .empty(.did) }
        if count > maxLength { return .tooLong(.did, maximum: maxLength) }
        if !ASCII.hasPrefix(bytes, "did:") { return .missingPrefix(.did, expected: "did:") }
        var index = 4
        while index < count, ASCII.isLower(bytes[index]) { index += 1 }
        if index == count { return .incomplete(.did) }
        if index == 4 || bytes[index] != ASCII.colon { return .unexpectedCharacter(.did, offset: index) }
        index += 1
        if index == count { return .incomplete(.did) }
        while index < count {
            let byte = bytes[index]
            if !(ASCII.isAlphanumeric(byte) || byte == ASCII.dot || byte == ASCII.hyphen || byte == ASCII.colon
                || byte == UInt8(ascii: "_") || byte == UInt8(ascii: "%"))
            {
                return .unexpectedCharacter(.did, offset: index)
            }
            index += 1
        }
        let last = bytes[count - 1]
        if last == ASCII.colon || last == UInt8(ascii: "%") { return .unexpectedCharacter(.did, offset: count - 1) }
        return nil
    }
}
