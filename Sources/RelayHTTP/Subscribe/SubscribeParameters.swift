import EventLog
import HummingbirdCore

/// The query parameters of `subscribeRepos`: the standard `cursor`, and our `shards`/`shard` and `stripProofs`.
public struct SubscribeParameters: Sendable, Equatable {
    /// Last seq the consumer processed (nil = live only).
    public var cursor: UInt64?
    /// The shard to deliver (nil = all events).
    public var shard: ShardFilter?
    /// Whether `#commit` blocks are stripped of MST nodes.
    public var stripProofs: Bool

    /// Creates parameters.
    public init(cursor: UInt64? = nil, shard: ShardFilter? = nil, stripProofs: Bool = false) {
        self.cursor = cursor
        self.shard = shard
        self.stripProofs = stripProofs
    }

    /// Parses the query of a request URI (what the route and the fuzz target both call).
    public static func parse(uri: URI) throws(XRPCError) -> SubscribeParameters {
        try parse(uri.queryParameters.map { (String($0.key), String($0.value)) })
    }

    /// Parses the query items (name → values, in order). Unknown parameters are ignored, as XRPC servers do.
    public static func parse(_ items: [(String, String)]) throws(XRPCError) -> SubscribeParameters {
        var result = SubscribeParameters()
        var shards: Int?
        var shardIndex: Int?
        var seen = Set<String>()
        for (name, value) in items {
            switch name {
            case "cursor", "shards", "shard", "stripProofs":
                guard seen.insert(name).inserted else { throw .invalidRequest("\(name) given more than once") }
            default:
                continue
            }
            switch name {
            case "cursor":
                // Seqs are positive integers below 2^53; cursor 0 means "everything retained".
                guard let number = UInt64(value), number < (1 << 53) else {
                    throw .invalidRequest("cursor must be an integer from 0 to 2^53-1")
                }
                result.cursor = number
            case "shards":
                guard let number = Int(value), number >= 1, number <= 256, number & (number - 1) == 0 else {
                    throw .invalidRequest("shards must be a power of two from 1 to 256")
                }
                shards = number
            case "shard":
                guard let number = Int(value), number >= 0 else {
                    throw .invalidRequest("shard must be a non-negative integer")
                }
                shardIndex = number
            default:
                switch value {
                case "true": result.stripProofs = true
                case "false": result.stripProofs = false
                default: throw .invalidRequest("stripProofs must be true or false")
                }
            }
        }
        switch (shards, shardIndex) {
        case (nil, nil):
            break
        case (let count?, let index?):
            do {
                result.shard = try ShardFilter(index: index, count: count)
            } catch {
                throw .invalidRequest("shard must be below shards")
            }
        default:
            throw .invalidRequest("shards and shard go together")
        }
        return result
    }
}
