/// Settings for outbound DID and handle lookups.
public struct ResolverConfiguration: Sendable {
    /// Base URL of the PLC directory; `GET <plcURL>/<did>` returns the document.
    public var plcURL: String
    /// Allows plain http, loopback/private/reserved addresses, and `did:web:localhost%3A<port>` (tests, demo).
    public var allowPrivateHosts: Bool
    /// Upper bound on one whole request: connect, headers and body.
    public var requestTimeout: Duration
    /// Response bodies above this size are refused.
    public var maxResponseBytes: Int
    /// Lookups over the network at the same time; further ones wait their turn.
    public var maxConcurrentRequests: Int
    /// Sent as `User-Agent`.
    public var userAgent: String
    /// Base URL whose `/.well-known/atproto-did` answers for a handle; default `https://<handle>`. The simulator
    /// and tests map handles to loopback servers with it (the address policy still applies).
    public var handleBaseURL: @Sendable (String) -> String

    /// Creates a configuration; the defaults suit a public relay.
    public init(
        plcURL: String = ATIdentity.defaultPLCURL,
        allowPrivateHosts: Bool = false,
        requestTimeout: Duration = .seconds(10),
        maxResponseBytes: Int = 256 * 1024,
        maxConcurrentRequests: Int = 32,
        userAgent: String = "tributary-relay",
        handleBaseURL: @escaping @Sendable (String) -> String = { "https://" + $0 }
    ) {
        self.plcURL = plcURL
        self.allowPrivateHosts = allowPrivateHosts
        self.requestTimeout = requestTimeout
        self.maxResponseBytes = maxResponseBytes
        self.maxConcurrentRequests = max(1, maxConcurrentRequests)
        self.userAgent = userAgent
        self.handleBaseURL = handleBaseURL
    }
}
