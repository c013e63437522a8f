import EventLog

/// The operator's controls over a running relay, served under `/admin/` and by `tributary admin`.
///
/// The `Relay` implements it; the HTTP layer only authenticates, parses and maps ``RelayAdminError`` to statuses.
public protocol RelayAdministration: Sendable {
    /// Every known host with its counters, ordered by hostname.
    func listHosts() async throws(RelayAdminError) -> [AdminHostView]
    /// Adds a host (operator-initiated: skips the public crawl quota, keeps the syntax, address and ban checks)
    /// and starts crawling it.
    func addHost(_ hostname: String) async throws(RelayAdminError) -> AdminHostView
    /// Bans a host: its connection is closed and its events are dropped from now on.
    func banHost(_ hostname: String) async throws(RelayAdminError)
    /// Lifts a host ban; the host is crawled again from its stored cursor.
    func unbanHost(_ hostname: String) async throws(RelayAdminError)
    /// Bans a domain and every subdomain of it (existing matching hosts are banned too).
    func banDomain(_ domain: String) async throws(RelayAdminError)
    /// Lifts a domain ban (hosts banned one by one stay banned).
    func unbanDomain(_ domain: String) async throws(RelayAdminError)
    /// The banned domains, sorted.
    func listDomainBans() async throws(RelayAdminError) -> [String]
    /// Changes a host's account limit (`nil` = the relay's default) and/or trusted flag (`nil` = unchanged).
    func setHostLimits(_ hostname: String, accountLimit: UInt64??, trusted: Bool?) async throws(RelayAdminError)
        -> AdminHostView
    /// Takes an account down: emits `#account` (takendown), scrubs its events from replay, drops its events.
    func takedown(did: String) async throws(RelayAdminError)
    /// Restores a taken-down account: emits `#account` with its upstream status.
    func restore(did: String) async throws(RelayAdminError)
    /// The stored state of one account.
    func account(did: String) async throws(RelayAdminError) -> AccountState
    /// Moves the log to a new epoch; returns it.
    func bumpEpoch() async throws(RelayAdminError) -> UInt64
    /// Whether public `com.atproto.sync.requestCrawl` is accepted.
    func publicCrawlEnabled() async -> Bool
    /// Turns public `requestCrawl` on or off.
    func setPublicCrawl(enabled: Bool) async
}

/// One host as the admin API shows it.
public struct AdminHostView: Sendable, Equatable, Codable {
    /// `hostname[:port]`.
    public var hostname: String
    /// `active`, `idle`, `offline`, `throttled` or `banned`.
    public var status: String
    /// Last committed upstream seq.
    public var cursor: UInt64
    /// Effective account limit (`nil` = unlimited, i.e. trusted).
    public var accountLimit: UInt64?
    /// Trusted (no account limit, higher rate limits).
    public var trusted: Bool
    /// Accounts attributed to the host.
    public var accountCount: UInt64
    /// Events accepted from the host.
    public var eventCount: UInt64
    /// Events dropped from the host since the relay started, by reason.
    public var droppedByReason: [String: UInt64]
    /// Whether an upstream connection is open now.
    public var connected: Bool

    /// Creates a view.
    public init(
        hostname: String, status: String, cursor: UInt64, accountLimit: UInt64?, trusted: Bool, accountCount: UInt64,
        eventCount: UInt64, droppedByReason: [String: UInt64], connected: Bool
    ) {
        self.hostname = hostname
        self.status = status
        self.cursor = cursor
        self.accountLimit = accountLimit
        self.trusted = trusted
        self.accountCount = accountCount
        self.eventCount = eventCount
        self.droppedByReason = droppedByReason
        self.connected = connected
    }
}

/// Why an admin operation failed.
public enum RelayAdminError: Error, Sendable, Equatable {
    /// The named host or account is unknown (404).
    case notFound(String)
    /// The request is malformed: bad hostname, DID, value (400).
    case invalid(String)
    /// The operation is refused by policy, e.g. a private address without `--allow-private-hosts` (403).
    case forbidden(String)
    /// Something failed inside the relay (500).
    case failed(String)
}
