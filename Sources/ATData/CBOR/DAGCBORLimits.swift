/// Caps applied while decoding untrusted DAG-CBOR.
public struct DAGCBORLimits: Sendable {
    /// Largest input accepted, in bytes.
    public var maxInputBytes: Int
    /// Deepest nesting of arrays, maps and links.
    public var maxDepth: Int
    /// Most elements in one array or entries in one map.
    public var maxCollectionCount: Int

    /// Creates limits.
    public init(maxInputBytes: Int = 5_000_000, maxDepth: Int = 128, maxCollectionCount: Int = 500_000) {
        self.maxInputBytes = maxInputBytes
        self.maxDepth = maxDepth
        self.maxCollectionCount = maxCollectionCount
    }

    /// Defaults sized for firehose frames (5 MB) and atproto records.
    public static let `default` = DAGCBORLimits()
}
