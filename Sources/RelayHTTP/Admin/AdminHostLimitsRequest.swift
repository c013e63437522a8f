/// `{"hostname": "…", "accountLimit": N|null, "trusted": true|false}`: change a host's limits.
///
/// `accountLimit` absent leaves the limit unchanged, `null` returns the host to the relay's default, a number sets
/// it; `trusted` absent leaves the flag unchanged.
public struct AdminHostLimitsRequest: Codable, Sendable, Equatable {
    public var hostname: String
    /// nil = unchanged, `.some(nil)` = the relay's default, `.some(n)` = n.
    public var accountLimit: UInt64??
    /// nil = unchanged.
    public var trusted: Bool?

    /// Creates a request.
    public init(hostname: String, accountLimit: UInt64??, trusted: Bool?) {
        self.hostname = hostname
        self.accountLimit = accountLimit
        self.trusted = trusted
    }

    private enum CodingKeys: String, CodingKey {
        case hostname, accountLimit, trusted
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        hostname = try container.decode(String.self, forKey: .hostname)
        if !container.contains(.accountLimit) {
            accountLimit = nil
        } else if try container.decodeNil(forKey: .accountLimit) {
            accountLimit = .some(nil)
        } else {
            accountLimit = .some(try container.decode(UInt64.self, forKey: .accountLimit))
        }
        trusted = try container.decodeIfPresent(Bool.self, forKey: .trusted)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(hostname, forKey: .hostname)
        switch accountLimit {
        case .none: break
        case .some(.none): try container.encodeNil(forKey: .accountLimit)
        case .some(.some(let limit)): try container.encode(limit, forKey: .accountLimit)
        }
        try container.encodeIfPresent(trusted, forKey: .trusted)
    }
}
