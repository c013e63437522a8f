#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// Which IP addresses outbound lookups may reach: the guard against server-side request forgery.
///
/// A public relay fetches URLs named by strangers (did:web hosts, handles, PDS endpoints), so it must not be
/// steered at loopback, private networks, link-local cloud metadata (169.254.169.254) and similar.
public enum AddressPolicy {
    /// True when `address` (4 bytes IPv4 or 16 bytes IPv6, network order) is a globally routable unicast address.
    public static func isPublic(_ address: [UInt8]) -> Bool {
        switch address.count {
        case 4: return isPublicIPv4(address[0], address[1], address[2], address[3])
        case 16: return isPublicIPv6(address)
        default: return false
        }
    }

    /// Parses an IP literal (dotted-quad IPv4 or IPv6, optionally in brackets); nil for anything else.
    public static func parseLiteral(_ host: String) -> [UInt8]? {
        var text = Substring(host)
        if text.hasPrefix("["), text.hasSuffix("]") { text = text.dropFirst().dropLast() }
        var v4 = in_addr()
        if inet_pton(AF_INET, String(text), &v4) == 1 {
            return withUnsafeBytes(of: &v4) { Array($0) }
        }
        var v6 = in6_addr()
        if inet_pton(AF_INET6, String(text), &v6) == 1 {
            return withUnsafeBytes(of: &v6) { Array($0) }
        }
        return nil
    }

    /// True when a host name is reserved for the local machine whatever DNS says.
    public static func isLocalName(_ host: String) -> Bool {
        let name = host.lowercased()
        return name == "localhost" || name.hasSuffix(".localhost") || name == "localhost."
    }

    private static func isPublicIPv4(_ a: UInt8, _ b: UInt8, _ c: UInt8, _ d: UInt8) -> Bool {
        switch (a, b, c) {
        case (0, _, _): return false  // "this network", unspecified
        case (10, _, _): return false  // RFC 1918
        case (100, 64...127, _): return false  // CGNAT 100.64/10
        case (127, _, _): return false  // loopback
        case (169, 254, _): return false  // link-local, cloud metadata
        case (172, 16...31, _): return false  // RFC 1918
        case (192, 0, 0), (192, 0, 2): return false  // IETF protocol assignments, TEST-NET-1
        case (192, 168, _): return false  // RFC 1918
        case (198, 18...19, _): return false  // benchmarking
        case (198, 51, 100), (203, 0, 113): return false  // TEST-NET-2, TEST-NET-3
        case (224...255, _, _): return false  // multicast, reserved, broadcast
        default: return true
        }
    }

    private static func isPublicIPv6(_ bytes: [UInt8]) -> Bool {
        // ::/96 (unspecified, loopback, deprecated IPv4-compatible) is never a public destination.
        if bytes[0..<12].allSatisfy({ $0 == 0 }) { return false }
        // IPv4-mapped ::ffff:a.b.c.d connects to the IPv4 address.
        if bytes[0..<10].allSatisfy({ $0 == 0 }) && bytes[10] == 0xff && bytes[11] == 0xff {
            return isPublicIPv4(bytes[12], bytes[13], bytes[14], bytes[15])
        }
        // NAT64 64:ff9b::/96 reaches the embedded IPv4 address; 64:ff9b:1::/48 is local use.
        if bytes[0] == 0x00 && bytes[1] == 0x64 && bytes[2] == 0xff && bytes[3] == 0x9b {
            if bytes[4..<12].allSatisfy({ $0 == 0 }) {
                return isPublicIPv4(bytes[12], bytes[13], bytes[14], bytes[15])
            }
            return false
        }
        // 6to4 2002::/16 tunnels to the embedded IPv4 address.
        if bytes[0] == 0x20 && bytes[1] == 0x02 {
            return isPublicIPv4(bytes[2], bytes[3], bytes[4], bytes[5])
        }
        if bytes[0] == 0x01 && bytes[1] == 0x00 && bytes[2..<8].allSatisfy({ $0 == 0 }) { return false }  // discard
        if bytes[0] == 0x20 && bytes[1] == 0x01 && bytes[2] == 0x0d && bytes[3] == 0xb8 { return false }  // docs
        if bytes[0] & 0xfe == 0xfc { return false }  // unique local fc00::/7
        if bytes[0] == 0xfe && bytes[1] & 0xc0 == 0x80 { return false }  // link-local fe80::/10
        if bytes[0] == 0xfe && bytes[1] & 0xc0 == 0xc0 { return false }  // site-local fec0::/10 (deprecated)
        if bytes[0] == 0xff { return false }  // multicast
        return true
    }
}
