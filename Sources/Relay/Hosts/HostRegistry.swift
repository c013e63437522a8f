import EventLog
import Synchronization

/// The hosts the relay knows, with the account-limit bookkeeping and the operator's domain bans.
final class HostRegistry: Sendable {
    private struct State {
        var hosts: [String: HostRuntime] = [:]
        var bannedDomains: Set<String> = []
        /// Times of recent public `requestCrawl` admissions (for the per-day cap).
        var admissions: [ContinuousClock.Instant] = []
        var publicCrawl: Bool
    }

    let configuration: RelayConfiguration
    private let trustedGlobs: [HostGlob]
    private let state: Mutex<State>

    init(configuration: RelayConfiguration) {
        self.configuration = configuration
        self.trustedGlobs = configuration.trustedHosts.map(HostGlob.init)
        self.state = Mutex(State(publicCrawl: configuration.publicCrawl))
    }

    /// Whether a glob from `--trusted-hosts` matches.
    func matchesTrustedGlob(_ hostname: Hostname) -> Bool {
        trustedGlobs.contains { $0.matches(hostname.value) }
    }

    /// The effective account limit of a host (nil: unlimited).
    func accountLimit(_ live: HostRuntime.Live) -> UInt64? {
        live.trusted ? nil : (live.accountLimitOverride ?? configuration.defaultAccountLimit)
    }

    func limits(trusted: Bool, accountLimitOverride: UInt64?) -> HostRateLimiter.Limits {
        .forHost(
            accountLimit: trusted ? nil : (accountLimitOverride ?? configuration.defaultAccountLimit),
            defaultAccountLimit: configuration.defaultAccountLimit, base: configuration.baseEventsPerSecond,
            trusted: configuration.trustedEventsPerSecond)
    }

    /// The runtime of `hostname`, creating it from `state` if new.
    func runtime(for hostname: Hostname, state stored: HostState) -> (HostRuntime, created: Bool) {
        state.withLock { state in
            if let existing = state.hosts[hostname.value] { return (existing, false) }
            let trusted = stored.trusted || matchesTrustedGlob(hostname)
            let runtime = HostRuntime(
                hostname: hostname, state: stored, trusted: trusted,
                limits: limits(trusted: trusted, accountLimitOverride: stored.accountLimit),
                capacity: configuration.maxInFlightPerHost)
            state.hosts[hostname.value] = runtime
            return (runtime, true)
        }
    }

    func runtime(_ hostname: String) -> HostRuntime? { state.withLock { $0.hosts[hostname] } }

    var all: [HostRuntime] { state.withLock { Array($0.hosts.values) }.sorted { $0.hostname < $1.hostname } }

    /// Takes an account slot on `host` if its limit allows.
    func reserveAccountSlot(_ host: HostRuntime) -> Bool {
        host.withLive { live in
            if let limit = accountLimit(live), live.accountCount >= limit { return false }
            live.accountCount += 1
            return true
        }
    }

    /// Gives back a slot (an account moved away).
    func releaseAccountSlot(_ hostname: String) {
        runtime(hostname)?.withLive { live in live.accountCount = live.accountCount > 0 ? live.accountCount - 1 : 0 }
    }

    // MARK: domain bans and public crawl

    func setBannedDomains(_ domains: Set<String>) { state.withLock { $0.bannedDomains = domains } }
    var bannedDomains: Set<String> { state.withLock { $0.bannedDomains } }

    func isDomainBanned(_ hostname: Hostname) -> Bool {
        state.withLock { state in state.bannedDomains.contains { hostname.isWithin(domain: $0) } }
    }

    var publicCrawl: Bool {
        get { state.withLock { $0.publicCrawl } }
    }

    func setPublicCrawl(_ enabled: Bool) { state.withLock { $0.publicCrawl = enabled } }

    /// Counts a public admission if fewer than `newHostsPerDay` happened in the last 24 hours.
    func admitNewHost() -> Bool {
        state.withLock { state in
            let now = ContinuousClock.Instant.now
            state.admissions.removeAll { $0.duration(to: now) > .seconds(86_400) }
            guard state.admissions.count < configuration.newHostsPerDay else { return false }
            state.admissions.append(now)
            return true
        }
    }
}
