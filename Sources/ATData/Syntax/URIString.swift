/// A string in the Lexicon `uri` format: a lowercase scheme, `:`, then printable ASCII without spaces.
///
/// Deliberately loose (no per-scheme parsing); use `ATURI` or Foundation's `URL` to interpret it.
public struct URIString: SyntaxChecked {
    /// Longest accepted URI in bytes.
    public static let maxLength = 8192
    /// Longest scheme in bytes.
    public static let maxSchemeLength = 81

    /// The checked string.
    public let string: String

    /// Checks and wraps `string`.
    public init(_ string: String) throws(SyntaxError) {
        if let error = string.checkUTF8(URIString.check) { throw error }
        self.string = string
    }

    /// True if `string` is in the `uri` format.
    public static func isValid(_ string: String) -> Bool { string.checkUTF8(check) == nil }

    /// Throws the reason `string` is not in the `uri` format.
    public static func validate(_ string: String) throws(SyntaxError) {
        if let error = string.checkUTF8(check) { throw error }
    }

    /// The scheme (before the first colon).
    public var scheme: Substring {
        guard let colon = string.utf8.firstIndex(of: ASCII.colon) else { return "" }
        return string[..<colon]
    }

    /// Grammar: `[a-z][a-z.-]{0,80}:` then one or more bytes in 0x21–0x7E; at most 8192 bytes.
    static func check(_ bytes: UnsafeRawBufferPointer) -> SyntaxError? {
        let count = bytes.count
        if count == 0 { return .empty(.uri) }
        if count > maxLength { return .tooLong(.uri, maximum: maxLength) }
        if !ASCII.isLower(bytes[0]) { return .unexpectedCharacter(.uri, offset: 0) }
        var index = 1
        while index < count, ASCII.isLower(bytes[index]) || bytes[index] == ASCII.dot || bytes[index] == ASCII.hyphen {
            index += 1
        }
        if index > maxSchemeLength { return .invalidSegment(.uri, offset: 0) }
        if index == count { return .incomplete(.uri) }
        if bytes[index] != ASCII.colon { return .unexpectedCharacter(.uri, offset: index) }
        index += 1
        if index == count { return .incomplete(.uri) }
        while index < count {
            if bytes[index] &- 0x21 > 0x7E - 0x21 { return .unexpectedCharacter(.uri, offset: index) }
            index += 1
        }
        return nil
    }
}
