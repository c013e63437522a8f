import EventLog
import Relay
import Synchronization

/// A small, honest ``RelayAdministration`` for the admin route tests: hosts and accounts live in a real
/// ``EventLog`` (read and written through its transactions); domain bans and the public-crawl switch are kept in
/// memory. It has no crawler, so `connected` is always false and nothing is dropped. The real `Relay` is tested
/// end to end elsewhere.
final class LogBackedAdministration: RelayAdministration {
    let log: EventLog
    let defaultAccountLimit: UInt64 = 100
    private let domainBans = Mutex<Set<String>>([])
    private let publicCrawl = Mutex(true)

    init(log: EventLog) { self.log = log }

    func listHosts() async throws(RelayAdminError) -> [AdminHostView] {
        try store { try log.read { txn in try txn.hosts(limit: .max) }.map(view) }
    }

    func addHost(_ hostname: String) async throws(RelayAdminError) -> AdminHostView {
        // Stands in for the relay's address policy: loopback is private.
        if hostname == "localhost" || hostname.hasPrefix("127.") { throw .forbidden("\(hostname) is not public") }
        let banned = domainBans.withLock { bans in bans.contains { hostname == $0 || hostname.hasSuffix("." + $0) } }
        if banned { throw .forbidden("\(hostname) is in a banned domain") }
        return try store {
            try log.write { txn in
                if let existing = try txn.host(hostname) { return view(existing) }
                let host = HostState(hostname: hostname, status: .idle, firstSeen: txn.now)
                try txn.putHost(host)
                return view(host)
            }
        }
    }

    func banHost(_ hostname: String) async throws(RelayAdminError) { try setStatus(hostname, .banned) }

    func unbanHost(_ hostname: String) async throws(RelayAdminError) { try setStatus(hostname, .idle) }

    func banDomain(_ domain: String) async throws(RelayAdminError) {
        domainBans.withLock { _ = $0.insert(domain) }
        try store {
            let hosts = try log.read { txn in try txn.hosts(limit: .max) }
            try log.write { txn in
                for var host in hosts where host.hostname == domain || host.hostname.hasSuffix("." + domain) {
                    host.status = .banned
                    try txn.putHost(host)
                }
            }
        }
    }

    func unbanDomain(_ domain: String) async throws(RelayAdminError) {
        let removed = domainBans.withLock { $0.remove(domain) != nil }
        if !removed { throw .notFound("domain \(domain) is not banned") }
    }

    func listDomainBans() async throws(RelayAdminError) -> [String] { domainBans.withLock { $0.sorted() } }

    func setHostLimits(_ hostname: String, accountLimit: UInt64??, trusted: Bool?) async throws(RelayAdminError)
        -> AdminHostView
    {
        try store {
            try log.write { txn in
                guard var host = try txn.host(hostname) else { throw RelayAdminError.notFound("no host \(hostname)") }
                if let accountLimit { host.accountLimit = accountLimit }
                if let trusted { host.trusted = trusted }
                try txn.putHost(host)
                return view(host)
            }
        }
    }

    func takedown(did: String) async throws(RelayAdminError) {
        try updateAccount(did) { account, txn in
            account.status = .takendown
            try txn.scrubEvents(of: did)
        }
    }

    func restore(did: String) async throws(RelayAdminError) {
        try updateAccount(did) { account, _ in account.status = .active }
    }

    func account(did: String) async throws(RelayAdminError) -> AccountState {
        guard let account = try store({ try log.account(did) }) else { throw .notFound("no account \(did)") }
        return account
    }

    func bumpEpoch() async throws(RelayAdminError) -> UInt64 { try store { try log.bumpEpoch() } }

    func publicCrawlEnabled() async -> Bool { publicCrawl.withLock { $0 } }

    func setPublicCrawl(enabled: Bool) async { publicCrawl.withLock { $0 = enabled } }

    // MARK: helpers

    private func view(_ host: HostState) -> AdminHostView {
        AdminHostView(
            hostname: host.hostname, status: host.status.rawValue, cursor: host.cursor,
            accountLimit: host.trusted ? nil : (host.accountLimit ?? defaultAccountLimit), trusted: host.trusted,
            accountCount: host.accountCount, eventCount: host.eventCount, droppedByReason: [:], connected: false)
    }

    private func setStatus(_ hostname: String, _ status: HostStatus) throws(RelayAdminError) {
        try store {
            try log.write { txn in
                guard var host = try txn.host(hostname) else { throw RelayAdminError.notFound("no host \(hostname)") }
                host.status = status
                try txn.putHost(host)
            }
        }
    }

    private func updateAccount(_ did: String, _ change: (inout AccountState, inout LogWriteTransaction) throws -> Void)
        throws(RelayAdminError)
    {
        try store {
            try log.write { txn in
                guard var account = try txn.account(did) else { throw RelayAdminError.notFound("no account \(did)") }
                try change(&account, &txn)
                try txn.putAccount(account)
            }
        }
    }

    /// Runs a log operation; a ``RelayAdminError`` passes through, a store failure becomes `.failed`.
    private func store<T>(_ body: () throws -> T) throws(RelayAdminError) -> T {
        do {
            return try body()
        } catch let error as RelayAdminError {
            throw error
        } catch {
            throw .failed("event log: \(error)")
        }
    }
}
