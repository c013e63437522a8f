/// A syntactically valid handle (a DNS hostname), normalized to lowercase because handles compare case-insensitively.
public struct Handle: SyntaxChecked, Comparable {
    /// Longest accepted handle in bytes (DNS hostname limit).
    public static let maxLength = 253
    /// Longest DNS label.
    public static let maxLabelLength = 63
    /// The sentinel a relay reports for an account whose handle does not verify.
    public static let invalid = Handle(unchecked: "handle.invalid")
    /// TLDs that are syntactically fine but never resolvable as a public handle.
    public static let disallowedTLDs: Set<String> = [
        "alt", "arpa", "example", "internal", "invalid", "local", "localhost", "onion",
    ]

    /// The checked handle in lowercase.
    public let string: String

    /// Checks `string` and stores its lowercase form.
    public init(_ string: String) throws(SyntaxError) {
        var hasUpper = false
        let error = string.checkUTF8 { bytes in Handle.check(bytes, hasUpper: &hasUpper) }
        if let error { throw error }
        self.string = hasUpper ? Handle.lowercase(string) : string
    }

    /// Checks UTF-8 bytes and stores their lowercase form.
    public init(utf8 bytes: UnsafeRawBufferPointer) throws(SyntaxError) {
        var hasUpper = false
        if let error = Handle.check(bytes, hasUpper: &hasUpper) { throw error }
        let raw = String(checkedASCII: bytes)
        self.string = hasUpper ? Handle.lowercase(raw) : raw
    }

    init(unchecked string: String) { self.string = string }

    /// True if `string` is a syntactically valid handle (any case).
    public static func isValid(_ string: String) -> Bool {
        var hasUpper = false
        return string.checkUTF8 { check($0, hasUpper: &hasUpper) } == nil
    }

    /// True if the UTF-8 `bytes` form a syntactically valid handle. Allocation-free.
    public static func isValid(utf8 bytes: UnsafeRawBufferPointer) -> Bool {
        var hasUpper = false
        return check(bytes, hasUpper: &hasUpper) == nil
    }

    /// Throws the reason `string` is not a valid handle.
    public static func validate(_ string: String) throws(SyntaxError) {
        var hasUpper = false
        if let error = string.checkUTF8({ check($0, hasUpper: &hasUpper) }) { throw error }
    }

    /// The last label (top-level domain).
    public var tld: Substring {
        guard let dot = string.utf8.lastIndex(of: ASCII.dot) else { return string[...] }
        return string[string.utf8.index(after: dot)...]
    }

    /// True for the `handle.invalid` sentinel.
    public var isInvalidSentinel: Bool { self == Handle.invalid }

    /// True if the TLD is one that must never be accepted as a resolvable handle (`.local`, `.onion`, ...).
    /// `.test` is not included: it is allowed for development and rejected by deployment policy instead.
    public var hasDisallowedTLD: Bool { Handle.disallowedTLDs.contains(String(tld)) }

    /// Orders by bytes of the normalized form.
    public static func < (lhs: Handle, rhs: Handle) -> Bool {
        lhs.string.utf8.lexicographicallyPrecedes(rhs.string.utf8)
    }

    /// ASCII lowercase (handles are ASCII once checked).
    static func lowercase(_ string: String) -> String {
        String(decoding: string.utf8.map(ASCII.lowercased), as: UTF8.self)
    }

    /// Grammar: two or more labels of `[a-zA-Z0-9-]{1,63}` separated by `.`, no label starting or ending with `-`,
    /// last label starting with a letter; at most 253 bytes.
    static func check(_ bytes: UnsafeRawBufferPointer, hasUpper: inout Bool) -> SyntaxError? {
        let count = bytes.count
        if count == 0 { return .empty(.handle) }
        if count > maxLength { return .tooLong(.handle, maximum: maxLength) }
        var labelStart = 0
        var labels = 0
        var index = 0
        while index <= count {
            if index == count || bytes[index] == ASCII.dot {
                let length = index - labelStart
                if length == 0 || length > maxLabelLength || bytes[labelStart] == ASCII.hyphen
                    || bytes[index - 1] == ASCII.hyphen
                {
                    return .invalidSegment(.handle, offset: labelStart)
                }
                labels += 1
                if index == count {
                    if !ASCII.isAlpha(bytes[labelStart]) { return .invalidSegment(.handle, offset: labelStart) }
                    break
                }
                labelStart = index + 1
            } else {
                let byte = bytes[index]
                if ASCII.isUpper(byte) {
                    hasUpper = true
                } else if !(ASCII.isLower(byte) || ASCII.isDigit(byte) || byte == ASCII.hyphen) {
                    return .unexpectedCharacter(.handle, offset: index)
                }
            }
            index += 1
        }
        if labels < 2 { return .tooFewSegments(.handle, minimum: 2) }
        return nil
    }
}
