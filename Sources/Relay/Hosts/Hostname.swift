import ATIdentity

/// A host's name as the relay keys it: lowercase `hostname[:port]`, the port omitted when it is 443.
public struct Hostname: Sendable, Hashable, CustomStringConvertible, Comparable {
    /// The normalized text.
    public let value: String
    /// The name without the port.
    public let name: String
    /// The explicit port, if any.
    public let port: Int?

    /// Longest accepted name (DNS limit).
    static let maxNameLength = 253

    /// Parses `hostname[:port]`, also accepting a leading `https://`/`wss://` (and `http://`/`ws://`) and a
    /// trailing `/`, as people paste URLs into `requestCrawl`. Returns nil for anything else.
    public init?(_ text: String) {
        var rest = Substring(text.lowercased())
        for scheme in ["https://", "wss://", "http://", "ws://"] where rest.hasPrefix(scheme) {
            rest = rest.dropFirst(scheme.count)
            break
        }
        if rest.hasSuffix("/") { rest = rest.dropLast() }
        var port: Int?
        var name = rest
        if let colon = rest.lastIndex(of: ":") {
            guard let number = Int(rest[rest.index(after: colon)...]), (1...65535).contains(number) else { return nil }
            port = number == 443 ? nil : number
            name = rest[..<colon]
        }
        guard Self.isValidName(name) else { return nil }
        self.name = String(name)
        self.port = port
        self.value = port.map { "\(name):\($0)" } ?? String(name)
    }

    /// DNS names (letters, digits, hyphens; labels 1–63, not starting or ending with a hyphen; at least two labels)
    /// or an IPv4 literal. IPv6 literals are not accepted as host names.
    static func isValidName(_ name: Substring) -> Bool {
        guard !name.isEmpty, name.utf8.count <= maxNameLength else { return false }
        let labels = name.split(separator: ".", omittingEmptySubsequences: false)
        if labels.count == 1 { return name == "localhost" }
        for label in labels {
            guard (1...63).contains(label.utf8.count), label.first != "-", label.last != "-" else { return false }
            for byte in label.utf8 {
                let ok = (byte >= 0x61 && byte <= 0x7A) || (byte >= 0x30 && byte <= 0x39) || byte == 0x2D
                if !ok { return false }
            }
        }
        return true
    }

    /// Whether the name is a loopback/private literal or a local name (such hosts use `ws://` and need
    /// `--allow-private-hosts`).
    public var isPrivate: Bool {
        if let literal = AddressPolicy.parseLiteral(name) { return !AddressPolicy.isPublic(literal) }
        return AddressPolicy.isLocalName(name)
    }

    /// Base URL for HTTP (`https://` for public names, `http://` for private ones).
    public var httpBase: String { (isPrivate ? "http://" : "https://") + value }
    /// Base URL for WebSocket subscriptions.
    public var webSocketBase: String { (isPrivate ? "ws://" : "wss://") + value }

    /// Whether this host is `domain` or a subdomain of it.
    public func isWithin(domain: String) -> Bool {
        name == domain || name.hasSuffix("." + domain)
    }

    public var description: String { value }
    public static func < (lhs: Hostname, rhs: Hostname) -> Bool { lhs.value < rhs.value }
}
