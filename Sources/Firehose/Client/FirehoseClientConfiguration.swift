import HummingbirdWSClient

/// How the subscriber client connects, limits frames and retries.
public struct FirehoseClientConfiguration: Sendable {
    /// Largest WebSocket message accepted: the 5,000,000-byte frame cap plus slack, so a slightly oversized frame
    /// reaches the decoder and is reported as undecodable rather than as a transport failure.
    public static let defaultMaxMessageBytes = FrameDecoder.maxFrameBytes + 64 * 1024

    /// Reconnect schedule.
    public var backoff: BackoffPolicy
    /// Largest WebSocket message (and single WebSocket frame) accepted.
    public var maxMessageBytes: Int
    /// WebSocket extensions to offer. `permessage-deflate` lives in swift-websocket's `WSCompression`
    /// (`.perMessageDeflate(...)` from `HummingbirdWSCompression`), which this module does not link; callers that
    /// do can pass it here.
    public var extensions: [WebSocketExtensionFactory]
    /// Ping period to detect a dead upstream (`nil`: no pings); a missing pong closes the connection. Pongs are read
    /// along with frames, so a consumer that stalls for longer than this loses the connection too, and the next
    /// `next()` reconnects from the resume cursor (nothing is lost).
    public var pingInterval: Duration?
    /// How long to wait for the server's close frame after we close.
    public var closeTimeout: Duration
    /// Longest wait from opening the TCP connection to the completed WebSocket upgrade (`nil`: no limit). A host
    /// that accepts the connection but never answers the upgrade is given up on, and the attempt counts as a failed
    /// connection (backoff, then a new attempt).
    public var handshakeTimeout: Duration?
    /// Sent as `User-Agent` on the upgrade request, so host operators can tell who connects.
    public var userAgent: String?

    /// Creates a configuration with the relay's defaults.
    public init(
        backoff: BackoffPolicy = BackoffPolicy(), maxMessageBytes: Int = Self.defaultMaxMessageBytes,
        extensions: [WebSocketExtensionFactory] = [], pingInterval: Duration? = .seconds(30),
        closeTimeout: Duration = .seconds(5), userAgent: String? = "tributary",
        handshakeTimeout: Duration? = .seconds(30)
    ) {
        self.backoff = backoff
        self.maxMessageBytes = maxMessageBytes
        self.extensions = extensions
        self.pingInterval = pingInterval
        self.closeTimeout = closeTimeout
        self.userAgent = userAgent
        self.handshakeTimeout = handshakeTimeout
    }

    /// The swift-websocket client configuration this maps to.
    var webSocket: WebSocketClientConfiguration {
        var configuration = WebSocketClientConfiguration(
            maxFrameSize: maxMessageBytes, extensions: extensions, closeTimeout: closeTimeout,
            autoPing: pingInterval.map { .enabled(timePeriod: $0) } ?? .disabled)
        if let userAgent {
            configuration.additionalHeaders.append(.init(name: .userAgent, value: userAgent))
        }
        return configuration
    }
}
