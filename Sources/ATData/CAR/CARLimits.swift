/// Caps applied while reading an untrusted CAR.
public struct CARLimits: Sendable {
    /// Largest CAR accepted, in bytes.
    public var maxTotalBytes: Int
    /// Largest header accepted, in bytes.
    public var maxHeaderBytes: Int
    /// Largest single block (CID + data), in bytes.
    public var maxBlockBytes: Int
    /// Most blocks accepted.
    public var maxBlocks: Int

    /// Creates limits.
    public init(maxTotalBytes: Int, maxHeaderBytes: Int = 4096, maxBlockBytes: Int = 1_100_000, maxBlocks: Int) {
        self.maxTotalBytes = maxTotalBytes
        self.maxHeaderBytes = maxHeaderBytes
        self.maxBlockBytes = maxBlockBytes
        self.maxBlocks = maxBlocks
    }

    /// For firehose `#commit.blocks` (2,000,000 bytes).
    public static let commitDiff = CARLimits(maxTotalBytes: 2_000_000, maxBlocks: 20_000)
    /// For full repository exports (`getRepo`).
    public static let fullRepository = CARLimits(maxTotalBytes: 1 << 32, maxBlocks: 50_000_000)
}
