/// Namespace of the event-stream layer: frames and subscribeRepos messages.
public enum Firehose {
    /// Hard cap on one WebSocket frame of the event stream (protocol limit).
    public static let maxFrameBytes = 5_000_000
}
