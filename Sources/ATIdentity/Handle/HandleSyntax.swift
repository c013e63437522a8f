/// atproto handle syntax: a DNS hostname of at least two labels with a TLD not starting with a digit.
public enum HandleSyntax {
    /// Longest handle accepted.
    public static let maxLength = 253
    /// TLDs that never resolve for atproto handles (`.test` is allowed only in development).
    public static let disallowedTLDs: Set<String> = [
        "alt", "arpa", "example", "internal", "invalid", "local", "localhost", "onion",
    ]

    /// Lowercased handle if `text` is syntactically valid, else nil.
    public static func normalize(_ text: some StringProtocol) -> String? {
        let handle = String(text)
        guard isHostname(handle) else { return nil }
        return handle.lowercased()
    }

    /// True for ASCII hostnames: 2+ labels of 1–63 `[A-Za-z0-9-]` not starting or ending with `-`, total <= 253,
    /// last label not starting with a digit.
    static func isHostname(_ text: String) -> Bool {
        let bytes = Array(text.utf8)
        guard !bytes.isEmpty, bytes.count <= maxLength else { return false }
        let labels = bytes.split(separator: UInt8(ascii: "."), omittingEmptySubsequences: false)
        guard labels.count >= 2 else { return false }
        for label in labels {
            guard (1...63).contains(label.count), label.first != UInt8(ascii: "-"), label.last != UInt8(ascii: "-")
            else { return false }
            for byte in label {
                switch byte {
                case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
                    UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"):
                    continue
                default:
                    return false
                }
            }
        }
        guard let tld = labels.last, let first = tld.first else { return false }
        return !(first >= UInt8(ascii: "0") && first <= UInt8(ascii: "9"))
    }

    /// True if the handle's TLD may be resolved (`.test` only when `allowTest`).
    public static func isResolvable(_ handle: String, allowTest: Bool) -> Bool {
        guard let dot = handle.lastIndex(of: ".") else { return false }
        let tld = handle[handle.index(after: dot)...].lowercased()
        if tld == "test" { return allowTest }
        return !disallowedTLDs.contains(tld)
    }
}
