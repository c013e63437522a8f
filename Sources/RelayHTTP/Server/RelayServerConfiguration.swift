/// Settings of the public HTTP/WebSocket service.
public struct RelayServerConfiguration: Sendable {
    /// Address to listen on.
    public var host: String
    /// Port (0 picks a free one; see `RelayServer.onListening`).
    public var port: Int
    /// Most concurrent subscriber connections from one address.
    public var maxSubscribersPerAddress: Int
    /// Interval of WebSocket pings that keep idle subscribers alive and find dead ones.
    public var pingInterval: Duration
    /// Reported by `_health`.
    public var version: String
    /// How long a subscriber's socket may accept nothing, once events it has not read were deleted, before the
    /// connection is dropped.
    public var stallCheckInterval: Duration = .seconds(5)
    /// How long a subscriber that was sent a close frame has to answer it before the connection is dropped.
    public var closeGracePeriod: Duration = .seconds(30)

    /// Creates a configuration.
    public init(host: String = "0.0.0.0", port: Int = 2470, maxSubscribersPerAddress: Int = 16,
                pingInterval: Duration = .seconds(30), version: String = "0.1.0")
    {
        self.host = host
        self.port = port
        self.maxSubscribersPerAddress = maxSubscribersPerAddress
        self.pingInterval = pingInterval
        self.version = version
    }
}
