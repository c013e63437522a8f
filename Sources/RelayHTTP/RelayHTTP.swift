/// Namespace of the relay's HTTP and WebSocket service.
public enum RelayHTTP {
    /// Default public port of the relay.
    public static let defaultPort = 2470
}
