import Hummingbird

// The JSON outputs of the `com.atproto.sync` queries, field for field as the lexicons name them. Optional fields
// that are `nil` are left out of the JSON, as the lexicons expect.

/// `com.atproto.sync.listRepos#repo`.
struct SyncRepoEntry: Encodable, Equatable, Sendable {
    var did: String
    /// Current commit CID.
    var head: String
    var rev: String
    var active: Bool
    var status: String?
}

/// `com.atproto.sync.listRepos` output.
struct SyncListReposOutput: ResponseEncodable, Equatable, Sendable {
    var cursor: String?
    var repos: [SyncRepoEntry]
}

/// `com.atproto.sync.getLatestCommit` output.
struct SyncLatestCommitOutput: ResponseEncodable, Equatable, Sendable {
    var cid: String
    var rev: String
}

/// `com.atproto.sync.getRepoStatus` output.
struct SyncRepoStatusOutput: ResponseEncodable, Equatable, Sendable {
    var did: String
    var active: Bool
    var status: String?
    /// Only when active.
    var rev: String?
}

/// `com.atproto.sync.listHosts#host`, also the `getHostStatus` output.
struct SyncHostEntry: ResponseEncodable, Equatable, Sendable {
    var hostname: String
    /// The upstream seq the relay has committed (its resume cursor for the host).
    var seq: UInt64?
    var accountCount: UInt64?
    /// A `com.atproto.sync.defs#hostStatus` value.
    var status: String?
}

/// `com.atproto.sync.listHosts` output.
struct SyncListHostsOutput: ResponseEncodable, Equatable, Sendable {
    var cursor: String?
    var hosts: [SyncHostEntry]
}
