extension CID {
    /// Shortest string the loose `cid` format accepts.
    public static let minStringLength = 8
    /// Longest string the loose `cid` format accepts.
    public static let maxStringLength = 256

    /// Checks the Lexicon `cid` string format: 8–256 characters of `[a-zA-Z0-9+=]`, not a CIDv0 (`Qm…`).
    ///
    /// This is the loose, multibase-agnostic check used for pass-through fields; `CID(string:)` fully decodes the
    /// blessed base32 form.
    public static func validateSyntax(_ string: String) throws(SyntaxError) {
        if let error = string.checkUTF8(checkSyntax) { throw error }
    }

    /// True if `string` passes the loose Lexicon `cid` string check.
    public static func isValidSyntax(_ string: String) -> Bool { string.checkUTF8(checkSyntax) == nil }

    static func checkSyntax(_ bytes: UnsafeRawBufferPointer) -> SyntaxError? {
        let count = bytes.count
        if count == 0 { return .empty(.cid) }
        if count < minStringLength { return .tooShort(.cid, minimum: minStringLength) }
        if count > maxStringLength { return .tooLong(.cid, maximum: maxStringLength) }
        for index in 0..<count {
            let byte = bytes[index]
            if !(ASCII.isAlphanumeric(byte) || byte == UInt8(ascii: "+") || byte == UInt8(ascii: "=")) {
                return .unexpectedCharacter(.cid, offset: index)
            }
        }
        // A base58btc sha2-256 CIDv0 always starts with "Qm"; atproto only allows CIDv1.
        if ASCII.hasPrefix(bytes, "Qm") { return .reservedValue(.cid) }
        return nil
    }
}
