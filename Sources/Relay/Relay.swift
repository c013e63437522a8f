/// Namespace of the ingest pipeline: host registry, upstream connections, verification, fan-out.
public enum Relay {
    /// Default number of accounts a host may serve before new ones are throttled (design §8).
    public static let defaultAccountLimit = 100
}
