import ATData
import ATRepo

/// `#commit`: a repository commit with its CAR slice.
public struct CommitMessage: Sendable, Equatable {
    public var seq: Int64
    public var repo: String
    public var commit: CID
    public var rev: String
    public var since: String?
    public var blocks: [UInt8]
    public var ops: [RepoOp]
    public var blobs: [CID]
    public var prevData: CID?
    public var time: String
    /// Deprecated, always false on the wire from conforming hosts.
    public var rebase: Bool
    /// Deprecated, always false on the wire from conforming hosts.
    public var tooBig: Bool

    /// Creates a message.
    public init(seq: Int64, repo: String, commit: CID, rev: String, since: String?, blocks: [UInt8], ops: [RepoOp],
                blobs: [CID] = [], prevData: CID?, time: String, rebase: Bool = false, tooBig: Bool = false)
    {
        self.seq = seq
        self.repo = repo
        self.commit = commit
        self.rev = rev
        self.since = since
        self.blocks = blocks
        self.ops = ops
        self.blobs = blobs
        self.prevData = prevData
        self.time = time
        self.rebase = rebase
        self.tooBig = tooBig
    }
}

/// `#sync`: the account's repository state was reset to this commit (blocks hold only the commit block).
public struct SyncMessage: Sendable, Equatable {
    public var seq: Int64
    public var did: String
    public var blocks: [UInt8]
    public var rev: String
    public var time: String

    /// Creates a message.
    public init(seq: Int64, did: String, blocks: [UInt8], rev: String, time: String) {
        self.seq = seq
        self.did = did
        self.blocks = blocks
        self.rev = rev
        self.time = time
    }
}

/// `#identity`: the account's identity may have changed.
public struct IdentityMessage: Sendable, Equatable {
    public var seq: Int64
    public var did: String
    public var time: String
    public var handle: String?

    /// Creates a message.
    public init(seq: Int64, did: String, time: String, handle: String? = nil) {
        self.seq = seq
        self.did = did
        self.time = time
        self.handle = handle
    }
}

/// `#account`: the account's hosting status at the emitter.
public struct AccountMessage: Sendable, Equatable {
    /// Known status values (`active == false` for the first four).
    public enum Status: String, Sendable, CaseIterable {
        case takendown, suspended, deleted, deactivated, desynchronized, throttled
    }

    public var seq: Int64
    public var did: String
    public var time: String
    public var active: Bool
    /// The status string as sent (unknown values are kept verbatim).
    public var status: String?

    /// Creates a message.
    public init(seq: Int64, did: String, time: String, active: Bool, status: String? = nil) {
        self.seq = seq
        self.did = did
        self.time = time
        self.active = active
        self.status = status
    }
}

/// `#info`: an informational notice (not persisted, no seq), e.g. `OutdatedCursor`.
public struct InfoMessage: Sendable, Equatable {
    public var name: String
    public var message: String?

    /// Creates a notice.
    public init(name: String, message: String? = nil) {
        self.name = name
        self.message = message
    }
}

/// An error frame's body (`FutureCursor`, `ConsumerTooSlow`, …).
public struct ErrorMessage: Sendable, Equatable, Error {
    public var error: String
    public var message: String?

    /// Creates an error body.
    public init(error: String, message: String? = nil) {
        self.error = error
        self.message = message
    }
}

/// One decoded frame of `com.atproto.sync.subscribeRepos`.
public enum FirehoseFrame: Sendable, Equatable {
    case commit(CommitMessage)
    case sync(SyncMessage)
    case identity(IdentityMessage)
    case account(AccountMessage)
    case info(InfoMessage)
    case error(ErrorMessage)
    /// A frame of an unknown `op` or `t`: skipped by consumers (and counted by the relay).
    case unknown(op: Int64, type: String?)

    /// The frame's seq, for the message types that carry one.
    public var seq: Int64? {
        switch self {
        case .commit(let message): message.seq
        case .sync(let message): message.seq
        case .identity(let message): message.seq
        case .account(let message): message.seq
        case .info, .error, .unknown: nil
        }
    }

    /// The DID the frame concerns (`repo` on `#commit`, `did` otherwise).
    public var did: String? {
        switch self {
        case .commit(let message): message.repo
        case .sync(let message): message.did
        case .identity(let message): message.did
        case .account(let message): message.did
        case .info, .error, .unknown: nil
        }
    }
}
