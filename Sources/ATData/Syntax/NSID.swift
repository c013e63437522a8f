/// A syntactically valid Namespaced Identifier: reversed domain authority plus a name (`app.bsky.feed.post`).
///
/// Kept exactly as given; `normalized` lowercases the authority part (the name is case-sensitive).
public struct NSID: SyntaxChecked, Comparable {
    /// Longest accepted NSID in bytes.
    public static let maxLength = 317
    /// Longest segment (domain label or name).
    public static let maxSegmentLength = 63

    /// The checked string.
    public let string: String

    /// Checks and wraps `string`.
    public init(_ string: String) throws(SyntaxError) {
        if let error = string.checkUTF8(NSID.check) { throw error }
        self.string = string
    }

    /// Checks UTF-8 bytes and wraps them.
    public init(utf8 bytes: UnsafeRawBufferPointer) throws(SyntaxError) {
        if let error = NSID.check(bytes) { throw error }
        self.string = String(checkedASCII: bytes)
    }

    /// True if `string` is a syntactically valid NSID.
    public static func isValid(_ string: String) -> Bool { string.checkUTF8(check) == nil }

    /// True if the UTF-8 `bytes` form a syntactically valid NSID. Allocation-free.
    public static func isValid(utf8 bytes: UnsafeRawBufferPointer) -> Bool { check(bytes) == nil }

    /// Throws the reason `string` is not a valid NSID.
    public static func validate(_ string: String) throws(SyntaxError) {
        if let error = string.checkUTF8(check) { throw error }
    }

    /// The name segment (after the last dot).
    public var name: Substring {
        guard let dot = string.utf8.lastIndex(of: ASCII.dot) else { return string[...] }
        return string[string.utf8.index(after: dot)...]
    }

    /// The authority as a DNS name in normal order, lowercased (`app.bsky.feed.post` -> `feed.bsky.app`).
    public var authority: String {
        guard let dot = string.utf8.lastIndex(of: ASCII.dot) else { return "" }
        return string[..<dot].split(separator: ".").reversed().joined(separator: ".").lowercased()
    }

    /// The NSID with its authority lowercased and its name untouched.
    public var normalized: NSID {
        guard let dot = string.utf8.lastIndex(of: ASCII.dot) else { return self }
        return NSID(uncheckedString: string[..<dot].lowercased() + string[dot...])
    }

    private init(uncheckedString: String) { self.string = uncheckedString }

    /// Orders by UTF-8 bytes.
    public static func < (lhs: NSID, rhs: NSID) -> Bool { lhs.string.utf8.lexicographicallyPrecedes(rhs.string.utf8) }

    /// Grammar: at least three `.`-separated segments; domain segments `[a-zA-Z0-9-]{1,63}` not starting or ending
    /// with `-`, the first starting with a letter; the name `[a-zA-Z][a-zA-Z0-9]{0,62}`; at most 317 bytes in all.
    /// (No separate 253-byte cap on the authority: the interop fixtures accept a 283-byte one.)
    static func check(_ bytes: UnsafeRawBufferPointer) -> SyntaxError? {
        let count = bytes.count
        if count == 0 { return .empty(.nsid) }
        if count > maxLength { return .tooLong(.nsid, maximum: maxLength) }
        if !ASCII.isAlpha(bytes[0]) { return .unexpectedCharacter(.nsid, offset: 0) }
        var segmentStart = 0
        var segments = 0
        var nameHasHyphen = -1
        var index = 0
        while index <= count {
            if index == count || bytes[index] == ASCII.dot {
                let length = index - segmentStart
                if length == 0 || length > maxSegmentLength || bytes[segmentStart] == ASCII.hyphen
                    || bytes[index - 1] == ASCII.hyphen
                {
                    return .invalidSegment(.nsid, offset: segmentStart)
                }
                segments += 1
                if index == count { break }
                segmentStart = index + 1
                nameHasHyphen = -1
            } else {
                let byte = bytes[index]
                if byte == ASCII.hyphen {
                    if nameHasHyphen < 0 { nameHasHyphen = index }
                } else if !ASCII.isAlphanumeric(byte) {
                    return .unexpectedCharacter(.nsid, offset: index)
                }
            }
            index += 1
        }
        if segments < 3 { return .tooFewSegments(.nsid, minimum: 3) }
        // The last segment scanned is the name: letters and digits only, starting with a letter.
        if nameHasHyphen >= 0 { return .unexpectedCharacter(.nsid, offset: nameHasHyphen) }
        if !ASCII.isAlpha(bytes[segmentStart]) { return .invalidSegment(.nsid, offset: segmentStart) }
        return nil
    }
}
