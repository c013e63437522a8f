import EventLog

/// The state reads behind the `com.atproto.sync` queries: pages of repos and hosts, single lookups.
///
/// Pages are in key order (DID, hostname); the cursor is the last key of the page and is returned only when more
/// entries follow, so a client that stops at the first page without a cursor has seen every entry exactly once.
enum SyncQueryPages {
    /// Accounts one `listRepos` call may scan past without filling its page (accounts without a commit are
    /// skipped) before it returns a short page with a cursor, so a call's work stays bounded.
    static let scanBudget = 10_000

    /// A `listRepos` page: accounts with a commit after `cursor`, at most `limit`.
    static func repos(_ txn: borrowing LogReadTransaction, after cursor: String?, limit: Int) throws
        -> SyncListReposOutput
    {
        var repos: [SyncRepoEntry] = []
        repos.reserveCapacity(limit)
        var after = cursor
        var scanned = 0
        let chunkSize = limit + 1
        while true {
            let chunk = try txn.accounts(after: after, limit: chunkSize)
            for account in chunk {
                after = account.did
                scanned += 1
                guard let commit = account.commit, let rev = account.rev else { continue }
                // One more repo than fits: the page is full and another page follows.
                if repos.count == limit { return SyncListReposOutput(cursor: repos.last?.did, repos: repos) }
                let view = SyncQueryAccountView(account)
                repos.append(SyncRepoEntry(did: account.did, head: commit.string, rev: rev, active: view.active,
                                           status: view.statusField))
            }
            if chunk.count < chunkSize { return SyncListReposOutput(cursor: nil, repos: repos) }
            if scanned >= limit + scanBudget { return SyncListReposOutput(cursor: after, repos: repos) }
        }
    }

    /// A `listHosts` page: hosts after `cursor`, at most `limit`.
    static func hosts(_ txn: borrowing LogReadTransaction, after cursor: String?, limit: Int) throws
        -> SyncListHostsOutput
    {
        var hosts = try txn.hosts(after: cursor, limit: limit + 1)
        var next: String?
        if hosts.count > limit {
            hosts.removeLast()
            next = hosts.last?.hostname
        }
        return SyncListHostsOutput(cursor: next, hosts: hosts.map(entry))
    }

    /// The `listHosts` / `getHostStatus` form of a host.
    static func entry(_ host: HostState) -> SyncHostEntry {
        SyncHostEntry(hostname: host.hostname, seq: host.cursor, accountCount: host.accountCount,
                      status: host.status.rawValue)
    }

    /// The account stored under `did` (none for DIDs too long to be a key).
    static func account(_ txn: borrowing LogReadTransaction, _ did: String) throws -> AccountState? {
        guard did.utf8.count <= SyncQueryParameters.maxStoredKeyBytes else { return nil }
        return try txn.account(did)
    }

    /// The host stored under `hostname`, trying its lowercase form too (hostnames are case-insensitive).
    static func host(_ txn: borrowing LogReadTransaction, _ hostname: String) throws -> HostState? {
        if let host = try txn.host(hostname) { return host }
        let lower = hostname.lowercased()
        return lower == hostname ? nil : try txn.host(lower)
    }
}
