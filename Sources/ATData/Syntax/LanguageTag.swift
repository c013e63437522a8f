/// A BCP 47 language tag (RFC 5646) as used by the Lexicon `language` format, kept exactly as given.
///
/// `isWellFormed` is the grammar (with a lowercase primary language subtag of 2–3 or 5–8 letters, as atproto
/// requires); `init` additionally refuses repeated variant or extension singleton subtags (RFC 5646 §2.2.9).
public struct LanguageTag: SyntaxChecked {
    /// Longest accepted tag in bytes.
    public static let maxLength = 128
    /// The registered grandfathered tags (RFC 5646 §2.2.8), which do not follow the langtag grammar.
    static let grandfathered: Set<String> = [
        "en-gb-oed", "i-ami", "i-bnn", "i-default", "i-enochian", "i-hak", "i-klingon", "i-lux", "i-mingo",
        "i-navajo", "i-pwn", "i-tao", "i-tay", "i-tsu", "sgn-be-fr", "sgn-be-nl", "sgn-ch-de",
        "art-lojban", "cel-gaulish", "no-bok", "no-nyn", "zh-guoyu", "zh-hakka", "zh-min", "zh-min-nan", "zh-xiang",
    ]

    /// The checked tag.
    public let string: String

    /// Checks grammar and duplicate subtags.
    public init(_ string: String) throws(SyntaxError) {
        if let error = string.checkUTF8({ LanguageTag.check($0, semantic: true) }) { throw error }
        self.string = string
    }

    /// True if `string` passes both the grammar and the duplicate-subtag check.
    public static func isValid(_ string: String) -> Bool { string.checkUTF8 { check($0, semantic: true) } == nil }

    /// Throws the reason `string` is not a valid language tag.
    public static func validate(_ string: String) throws(SyntaxError) { _ = try LanguageTag(string) }

    /// True if `string` is a well-formed tag (grammar only; repeated subtags are not looked at).
    public static func isWellFormed(_ string: String) -> Bool { string.checkUTF8 { check($0, semantic: false) } == nil }

    /// The primary language subtag (lowercase), or nil for private-use and grandfathered `i-` tags.
    public var primaryLanguage: Substring? {
        let end = string.utf8.firstIndex(of: ASCII.hyphen) ?? string.utf8.endIndex
        let primary = string[..<end]
        return primary.utf8.count >= 2 ? primary : nil
    }

    static func check(_ bytes: UnsafeRawBufferPointer, semantic: Bool) -> SyntaxError? {
        let count = bytes.count
        if count == 0 { return .empty(.language) }
        if count > maxLength { return .tooLong(.language, maximum: maxLength) }
        var subtags: [Range<Int>] = []
        var start = 0
        for index in 0...count where index == count || bytes[index] == ASCII.hyphen {
            let length = index - start
            if length == 0 || length > 8 { return .invalidSegment(.language, offset: start) }
            subtags.append(start..<index)
            start = index + 1
        }
        for index in 0..<count where bytes[index] != ASCII.hyphen && !ASCII.isAlphanumeric(bytes[index]) {
            return .unexpectedCharacter(.language, offset: index)
        }
        if grandfathered.contains(String(decoding: bytes.lazy.map(ASCII.lowercased), as: UTF8.self)) { return nil }
        var parser = LanguageTagParser(bytes: bytes, subtags: subtags)
        return parser.parse(semantic: semantic)
    }
}
