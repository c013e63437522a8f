/// Where `getRepo` sends a client: the account's PDS, which serves the CAR (this relay keeps no repos).
///
/// Hosts are stored as `hostname[:port]` without a scheme. The relay reaches loopback and private hosts over plain
/// `http://` (only possible with `--allow-private-hosts`, design §9) and every other host over `https://`, so the
/// redirect uses the same rule.
enum SyncQueryRepoLocation {
    /// The PDS URL of `getRepo` for `did` on `host`, or `nil` if the stored host is not a `hostname[:port]`.
    static func url(host: String, did: String, since: String?) -> String? {
        guard let name = hostPart(of: host) else { return nil }
        let scheme = usesPlainHTTP(name) ? "http" : "https"
        var url = "\(scheme)://\(host)/xrpc/com.atproto.sync.getRepo?did=\(percentEncoded(did))"
        if let since { url += "&since=\(percentEncoded(since))" }
        return url
    }

    /// The name or address of `hostname[:port]` / `[v6]:port` without the port; `nil` if malformed.
    static func hostPart(of host: String) -> Substring? {
        guard SyncQueryParameters.isHostnameSyntax(host) else { return nil }
        let text = Substring(host)
        if text.hasPrefix("[") {
            guard let close = text.firstIndex(of: "]") else { return nil }
            let name = text[text.index(after: text.startIndex)..<close]
            let rest = text[text.index(after: close)...]
            guard !name.isEmpty, rest.isEmpty || (rest.hasPrefix(":") && isPort(rest.dropFirst())) else { return nil }
            return name
        }
        let parts = text.split(separator: ":", omittingEmptySubsequences: false)
        switch parts.count {
        case 1: return parts[0].isEmpty || parts[0].contains("[") || parts[0].contains("]") ? nil : parts[0]
        case 2: return parts[0].isEmpty || !isPort(parts[1]) || parts[0].contains("]") ? nil : parts[0]
        default: return nil  // a bare IPv6 address needs brackets
        }
    }

    private static func isPort(_ text: Substring) -> Bool {
        guard !text.isEmpty, text.count <= 5, isDigits(text), let port = Int(text) else { return false }
        return port >= 1 && port <= 65535
    }

    private static func isDigits(_ text: Substring) -> Bool {
        text.utf8.allSatisfy { $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }
    }

    /// True for `localhost` names, loopback, private (RFC 1918, ULA) and link-local addresses.
    static func usesPlainHTTP(_ name: Substring) -> Bool {
        let lower = name.lowercased()
        if lower == "localhost" || lower.hasSuffix(".localhost") { return true }
        if let octets = ipv4Octets(lower) {
            switch (octets[0], octets[1]) {
            case (127, _), (10, _), (192, 168), (169, 254): return true
            case (172, let second): return (16...31).contains(second)
            default: return false
            }
        }
        if lower.contains(":") {
            if lower == "::1" || lower == "0:0:0:0:0:0:0:1" { return true }
            guard !lower.hasPrefix(":"), let first = lower.split(separator: ":").first,
                  first.count <= 4, let hextet = UInt16(first, radix: 16) else { return false }
            return hextet & 0xFE00 == 0xFC00 || hextet & 0xFFC0 == 0xFE80
        }
        return false
    }

    private static func ipv4Octets(_ text: String) -> [Int]? {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 4 else { return nil }
        var octets: [Int] = []
        for part in parts {
            guard !part.isEmpty, part.count <= 3, isDigits(part), let value = Int(part), value <= 255
            else { return nil }
            octets.append(value)
        }
        return octets
    }

    private static let hexDigits = Array("0123456789ABCDEF".unicodeScalars)

    /// Percent-encodes everything but unreserved characters and `:` (DIDs may hold `%`).
    static func percentEncoded(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
                 UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"),
                 UInt8(ascii: "~"), UInt8(ascii: ":"):
                out.unicodeScalars.append(Unicode.Scalar(byte))
            default:
                out.unicodeScalars.append("%")
                out.unicodeScalars.append(hexDigits[Int(byte >> 4)])
                out.unicodeScalars.append(hexDigits[Int(byte & 0x0F)])
            }
        }
        return out
    }
}
