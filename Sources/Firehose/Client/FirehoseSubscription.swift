/// What to subscribe to: a host's `com.atproto.sync.subscribeRepos` stream, the first cursor and our extensions.
public struct FirehoseSubscription: Sendable, Equatable {
    /// The XRPC endpoint path.
    public static let path = "/xrpc/com.atproto.sync.subscribeRepos"

    /// `ws` or `wss` (TLS with the system trust roots).
    public var secure: Bool
    /// Host name or IP literal (IPv6 without brackets).
    public var host: String
    /// Port, when not the scheme's default.
    public var port: Int?
    /// Cursor for the first connection (`nil`: live). Reconnects take theirs from the client's resume rule.
    public var cursor: Int64?
    /// `shards=N&shard=i` (Tributary extension).
    public var shard: ShardSelection?
    /// `stripProofs=true` (Tributary extension).
    public var stripProofs: Bool
    /// Further query parameters, appended in order.
    public var extraParameters: [QueryParameter]

    /// Creates a subscription from a base URL `ws[s]://host[:port]` (`http[s]://` is accepted as a synonym).
    public init(
        url: String, cursor: Int64? = nil, shard: ShardSelection? = nil, stripProofs: Bool = false,
        extraParameters: [QueryParameter] = []
    ) throws(FirehoseSubscriptionError) {
        let secure: Bool
        let rest: Substring
        if let tail = Self.dropPrefix("wss://", url) ?? Self.dropPrefix("https://", url) {
            (secure, rest) = (true, tail)
        } else if let tail = Self.dropPrefix("ws://", url) ?? Self.dropPrefix("http://", url) {
            (secure, rest) = (false, tail)
        } else {
            throw .unsupportedScheme(url)
        }
        var authority = rest
        if let slash = rest.firstIndex(of: "/") {
            // Only a bare trailing slash may follow the authority: the endpoint path is ours to add.
            guard rest[slash...] == "/" else { throw .unexpectedPath(String(rest[slash...])) }
            authority = rest[..<slash]
        }
        guard !authority.contains("?"), !authority.contains("#"), !authority.contains("@") else {
            throw .unexpectedPath(String(authority))
        }
        let (host, port) = try Self.splitAuthority(authority)
        self.secure = secure
        self.host = host
        self.port = port
        self.cursor = cursor
        self.shard = shard
        self.stripProofs = stripProofs
        self.extraParameters = extraParameters
    }

    /// The full WebSocket URL for a connection opened with `cursor`.
    public func url(cursor: Int64?) -> String {
        var parameters: [QueryParameter] = []
        if let cursor { parameters.append(QueryParameter(name: "cursor", value: String(cursor))) }
        if let shard {
            parameters.append(QueryParameter(name: "shards", value: String(shard.count)))
            parameters.append(QueryParameter(name: "shard", value: String(shard.index)))
        }
        if stripProofs { parameters.append(QueryParameter(name: "stripProofs", value: "true")) }
        parameters.append(contentsOf: extraParameters)
        let hostPart = host.contains(":") ? "[\(host)]" : host
        var url = (secure ? "wss://" : "ws://") + hostPart
        if let port { url += ":\(port)" }
        url += Self.path
        if !parameters.isEmpty {
            url += "?" + parameters.map { "\(Self.percentEncode($0.name))=\(Self.percentEncode($0.value))" }
                .joined(separator: "&")
        }
        return url
    }

    private static func dropPrefix(_ prefix: String, _ url: String) -> Substring? {
        let lower = url.lowercased()
        guard lower.hasPrefix(prefix) else { return nil }
        return url.dropFirst(prefix.count)
    }

    private static func splitAuthority(_ authority: Substring) throws(FirehoseSubscriptionError) -> (String, Int?) {
        var hostPart = authority
        var portPart: Substring? = nil
        if authority.hasPrefix("[") {
            guard let close = authority.firstIndex(of: "]") else { throw .missingHost }
            hostPart = authority[authority.index(after: authority.startIndex)..<close]
            let after = authority[authority.index(after: close)...]
            if !after.isEmpty {
                guard after.hasPrefix(":") else { throw .invalidPort(String(after)) }
                portPart = after.dropFirst()
            }
        } else if let colon = authority.firstIndex(of: ":") {
            hostPart = authority[..<colon]
            portPart = authority[authority.index(after: colon)...]
        }
        guard !hostPart.isEmpty else { throw .missingHost }
        guard let portPart else { return (String(hostPart), nil) }
        guard (1...5).contains(portPart.count), portPart.allSatisfy({ ("0"..."9").contains($0) }), let port = Int(portPart),
            (1...65535).contains(port)
        else { throw .invalidPort(String(portPart)) }
        return (String(hostPart), port)
    }

    /// RFC 3986 query encoding: unreserved characters stay, every other UTF-8 byte becomes `%XX`.
    static func percentEncode(_ string: String) -> String {
        let hex = Array("0123456789ABCDEF".utf8)
        var out: [UInt8] = []
        out.reserveCapacity(string.utf8.count)
        for byte in string.utf8 {
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
                UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"),
                UInt8(ascii: "~"):
                out.append(byte)
            default:
                out.append(UInt8(ascii: "%"))
                out.append(hex[Int(byte >> 4)])
                out.append(hex[Int(byte & 0x0F)])
            }
        }
        return String(decoding: out, as: UTF8.self)
    }
}

/// One shard of a sharded stream (`shards` a power of two in 1…256, `0 ≤ shard < shards`).
public struct ShardSelection: Sendable, Equatable {
    /// Number of shards.
    public let count: Int
    /// This shard's index.
    public let index: Int

    /// Checks the shard parameters the way the relay does.
    public init(count: Int, index: Int) throws(FirehoseSubscriptionError) {
        guard (1...256).contains(count), count & (count - 1) == 0, (0..<count).contains(index) else {
            throw .invalidShard(count: count, index: index)
        }
        self.count = count
        self.index = index
    }
}

/// One `name=value` query parameter.
public struct QueryParameter: Sendable, Equatable {
    /// Parameter name (percent-encoded on the wire).
    public var name: String
    /// Parameter value (percent-encoded on the wire).
    public var value: String

    /// Creates a parameter.
    public init(name: String, value: String) {
        self.name = name
        self.value = value
    }
}

/// Why a subscription could not be built.
public enum FirehoseSubscriptionError: Error, Equatable, Sendable {
    /// The URL does not start with `ws://`, `wss://`, `http://` or `https://`.
    case unsupportedScheme(String)
    /// No host between the scheme and the port.
    case missingHost
    /// The port is not a number in 1…65535.
    case invalidPort(String)
    /// The URL carries a path, query, fragment or user info; give only the base.
    case unexpectedPath(String)
    /// `shards` is not a power of two in 1…256, or `shard` is outside it.
    case invalidShard(count: Int, index: Int)
}
