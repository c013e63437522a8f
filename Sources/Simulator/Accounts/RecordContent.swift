/// What a simulated record holds; the bytes are generated (realistic DAG-CBOR) when the write is applied.
public enum RecordContent: Sendable, Equatable {
    /// `app.bsky.feed.post` with the given text, or generated text of realistic length when nil.
    case post(text: String? = nil)
    /// `app.bsky.feed.like` of a (simulated) post.
    case like
    /// `app.bsky.graph.follow` of a (simulated) account.
    case follow
    /// `app.bsky.actor.profile` (record key `self`).
    case profile
    /// Any collection with exact record bytes (not checked: hand-made records may be anything).
    case custom(collection: String, bytes: [UInt8])

    /// The record's collection NSID.
    public var collection: String {
        switch self {
        case .post: "app.bsky.feed.post"
        case .like: "app.bsky.feed.like"
        case .follow: "app.bsky.graph.follow"
        case .profile: "app.bsky.actor.profile"
        case .custom(let collection, _): collection
        }
    }
}

/// One record operation asked of `SimulatedNetwork.write`.
public enum SimulatedWrite: Sendable, Equatable {
    /// Creates a record; the key is a fresh TID unless given (`self` for profiles).
    case create(RecordContent, rkey: String? = nil)
    /// Replaces the record at `collection/rkey`.
    case update(path: String, RecordContent)
    /// Deletes the record at `collection/rkey`.
    case delete(path: String)

    /// A new post with generated text.
    public static var post: SimulatedWrite { .create(.post()) }
    /// A new like.
    public static var like: SimulatedWrite { .create(.like) }
    /// A new follow.
    public static var follow: SimulatedWrite { .create(.follow) }
}
