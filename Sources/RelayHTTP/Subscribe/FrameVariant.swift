/// The forms in which an event's frame is sent; each is produced once per event and shared by all subscribers.
public struct FrameVariant: Hashable, Sendable, CustomStringConvertible {
    /// MST proof nodes removed from `#commit` blocks.
    public var stripped: Bool
    /// permessage-deflate payload.
    public var compressed: Bool

    /// Creates a variant.
    public init(stripped: Bool, compressed: Bool) {
        self.stripped = stripped
        self.compressed = compressed
    }

    /// Metric label.
    public var description: String {
        switch (stripped, compressed) {
        case (false, false): "full"
        case (true, false): "stripped"
        case (false, true): "full_deflate"
        case (true, true): "stripped_deflate"
        }
    }

    /// Index 0…3 for arrays of per-variant data.
    var index: Int { (stripped ? 1 : 0) + (compressed ? 2 : 0) }

    /// The stored frame as it is (sent without going through the cache).
    public static let full = FrameVariant(stripped: false, compressed: false)

    /// All four variants.
    public static let all = [false, true].flatMap { compressed in
        [false, true].map { FrameVariant(stripped: $0, compressed: compressed) }
    }
}
