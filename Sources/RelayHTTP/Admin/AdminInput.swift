import ATData

/// Checks on the names the admin API accepts, before they reach the relay (which applies its own policy).
enum AdminInput {
    /// Longest accepted hostname or domain (`hostname[:port]`).
    static let maxHostnameBytes = 300

    /// A trimmed `hostname[:port]`: 1…300 bytes of letters, digits, `.`, `-`, `:`, `[`, `]`.
    static func hostname(_ text: String, field: String = "hostname") throws(XRPCError) -> String {
        let trimmed = trimmed(text)
        guard !trimmed.isEmpty, trimmed.utf8.count <= maxHostnameBytes else {
            throw .invalidRequest("\(field) must be 1…\(maxHostnameBytes) bytes")
        }
        guard SyncQueryParameters.isHostnameSyntax(trimmed) else {
            throw .invalidRequest("\(field) must be a bare hostname[:port] (no scheme, path or spaces)")
        }
        return trimmed
    }

    /// A trimmed, syntactically valid DID.
    static func did(_ text: String) throws(XRPCError) -> String {
        let trimmed = trimmed(text)
        do {
            try DID.validate(trimmed)
        } catch {
            throw .invalidRequest("did is not a valid DID: \(error)")
        }
        return trimmed
    }

    private static func trimmed(_ text: String) -> String {
        let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\t" || $0 == "\n" || $0 == "\r" }
        guard let first = text.firstIndex(where: { !isSpace($0) }), let last = text.lastIndex(where: { !isSpace($0) })
        else { return "" }
        return String(text[first...last])
    }
}
