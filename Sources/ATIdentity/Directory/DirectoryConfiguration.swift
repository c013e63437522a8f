/// Cache policy of an `IdentityDirectory`.
public struct DirectoryConfiguration: Sendable {
    /// Most DIDs cached at once (least recently used ones are evicted).
    public var maxEntries: Int
    /// How long a resolved identity is served from the cache.
    public var successTTL: Duration
    /// How long a failure (including not found / tombstoned) is served from the cache before retrying.
    public var errorTTL: Duration
    /// `refresh` re-resolves only if the cached entry is older than this (bounds lookups forced by bad commits).
    public var minimumRefreshInterval: Duration

    /// Creates a policy; the defaults suit a relay.
    public init(
        maxEntries: Int = 1_000_000,
        successTTL: Duration = .seconds(24 * 3600),
        errorTTL: Duration = .seconds(300),
        minimumRefreshInterval: Duration = .seconds(5)
    ) {
        self.maxEntries = max(1, maxEntries)
        self.successTTL = successTTL
        self.errorTTL = errorTTL
        self.minimumRefreshInterval = minimumRefreshInterval
    }
}
