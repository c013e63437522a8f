/// The subscribeRepos message type of a stored event.
public struct EventKind: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    /// The byte stored in the event header.
    public let rawValue: UInt8
    public init(rawValue: UInt8) { self.rawValue = rawValue }

    /// `#commit`
    public static let commit = EventKind(rawValue: 1)
    /// `#sync`
    public static let sync = EventKind(rawValue: 2)
    /// `#identity`
    public static let identity = EventKind(rawValue: 3)
    /// `#account`
    public static let account = EventKind(rawValue: 4)

    public var description: String {
        switch self {
        case .commit: "#commit"
        case .sync: "#sync"
        case .identity: "#identity"
        case .account: "#account"
        default: "kind(\(rawValue))"
        }
    }
}
