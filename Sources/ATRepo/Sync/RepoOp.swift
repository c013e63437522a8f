import ATData

/// One record operation of a `#commit` (`repoOp` in the lexicon).
public struct RepoOp: Sendable, Hashable {
    /// What happened to the record.
    public enum Action: String, Sendable, Hashable {
        case create, update, delete
    }

    /// The action.
    public var action: Action
    /// `collection/rkey`.
    public var path: String
    /// The new record CID (nil on delete).
    public var cid: CID?
    /// The previous record CID (set on update and delete, absent on create).
    public var prev: CID?

    /// Creates an op.
    public init(action: Action, path: String, cid: CID?, prev: CID?) {
        self.action = action
        self.path = path
        self.cid = cid
        self.prev = prev
    }
}
