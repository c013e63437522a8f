import EventLog
import Foundation
import Relay

// The JSON bodies of the admin API (docs/admin.md), shared by the routes and by ``AdminClient`` so both sides
// agree field for field. Optional fields that are nil are left out of the JSON.

/// `{"hostname": "…"}`: add, ban or unban a host.
public struct AdminHostRequest: Codable, Sendable, Equatable {
    public var hostname: String
    /// Creates a request.
    public init(hostname: String) { self.hostname = hostname }
}

/// `{"domain": "…"}`: ban or unban a domain.
public struct AdminDomainRequest: Codable, Sendable, Equatable {
    public var domain: String
    /// Creates a request.
    public init(domain: String) { self.domain = domain }
}

/// `{"did": "…"}`: take down or restore an account.
public struct AdminAccountRequest: Codable, Sendable, Equatable {
    public var did: String
    /// Creates a request.
    public init(did: String) { self.did = did }
}

/// `{"enabled": true|false}`: whether public `requestCrawl` is accepted (request and response).
public struct AdminPublicCrawl: Codable, Sendable, Equatable {
    public var enabled: Bool
    /// Creates a body.
    public init(enabled: Bool) { self.enabled = enabled }
}

/// `{"epoch": E}`: the log's epoch after a bump.
public struct AdminEpoch: Codable, Sendable, Equatable {
    public var epoch: UInt64
    /// Creates a body.
    public init(epoch: UInt64) { self.epoch = epoch }
}

/// `{"hosts": […]}`.
public struct AdminHostList: Codable, Sendable, Equatable {
    public var hosts: [AdminHostView]
    /// Creates a list.
    public init(hosts: [AdminHostView]) { self.hosts = hosts }
}

/// `{"domains": […]}`: the banned domains.
public struct AdminDomainBanList: Codable, Sendable, Equatable {
    public var domains: [String]
    /// Creates a list.
    public init(domains: [String]) { self.domains = domains }
}

/// One stored account as the admin API shows it.
public struct AdminAccountView: Codable, Sendable, Equatable {
    public var did: String
    /// Status set by this relay (`takendown` after a takedown, else `active`).
    public var status: String
    /// Status last reported by the account's host.
    public var upstreamStatus: String
    /// What the relay reports to consumers: its own status unless `active`, else the host's.
    public var effectiveStatus: String
    /// Whether consumers see the account as active.
    public var active: Bool
    public var host: String
    public var rev: String?
    public var commit: String?
    public var data: String?
    /// Held back by its host's account limit.
    public var throttled: Bool

    /// The view of a stored account.
    public init(_ account: AccountState) {
        did = account.did
        status = account.status.rawValue
        upstreamStatus = account.upstreamStatus.rawValue
        effectiveStatus = account.effectiveStatus.rawValue
        active = account.effectiveStatus.isActive
        host = account.host
        rev = account.rev
        commit = account.commit?.string
        data = account.data?.string
        throttled = account.throttled
    }
}

/// One connected `subscribeRepos` consumer.
public struct AdminSubscriberView: Codable, Sendable, Equatable {
    public var id: Int
    public var remoteAddress: String
    /// The `cursor` it connected with (absent: live only).
    public var cursor: UInt64?
    /// `shards`/`shard` it asked for (absent: every event).
    public var shards: Int?
    public var shard: Int?
    public var stripProofs: Bool
    /// Whether frames go out permessage-deflate compressed.
    public var compressed: Bool
    /// ISO 8601.
    public var connectedAt: String
    /// Seq of the last event sent to it (or skipped by its shard filter).
    public var position: UInt64
    /// Events of the log after `position` (see docs/admin.md for epochs).
    public var lag: UInt64
}

/// `{"epoch": E, "headSeq": S, "subscribers": […]}`.
public struct AdminSubscriberList: Codable, Sendable, Equatable {
    public var epoch: UInt64
    public var headSeq: UInt64
    public var subscribers: [AdminSubscriberView]
}

/// `{"error": "<Name>", "message": "…"}`: every admin error response.
public struct AdminErrorBody: Codable, Sendable, Equatable {
    public var error: String
    public var message: String?
}

/// `{"hostname": "…", "banned": true|false}`: a host's ban state after ban/unban.
public struct AdminHostBan: Codable, Sendable, Equatable {
    public var hostname: String
    public var banned: Bool
    /// Creates a body.
    public init(hostname: String, banned: Bool) {
        self.hostname = hostname
        self.banned = banned
    }
}

/// `{"domain": "…", "banned": true|false}`: a domain's ban state after ban/unban.
public struct AdminDomainBan: Codable, Sendable, Equatable {
    public var domain: String
    public var banned: Bool
    /// Creates a body.
    public init(domain: String, banned: Bool) {
        self.domain = domain
        self.banned = banned
    }
}

/// `{"did": "…", "takendown": true|false}`: an account's takedown state after takedown/restore.
public struct AdminTakedown: Codable, Sendable, Equatable {
    public var did: String
    public var takendown: Bool
    /// Creates a body.
    public init(did: String, takendown: Bool) {
        self.did = did
        self.takendown = takendown
    }
}
