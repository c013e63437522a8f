/// The relay's view of identities: a bounded cache in front of a resolver, with concurrent lookups of one DID
/// coalesced into a single request.
///
/// Hits are served for `successTTL`, failures (not found, tombstoned, network errors) for `errorTTL`. `purge`
/// forgets a DID (after an `#identity` event); `refresh` re-resolves once (after a signature or host-authority
/// failure), but not more often than `minimumRefreshInterval`.
public actor IdentityDirectory {
    /// A cached outcome with its timestamps.
    struct Entry: Sendable {
        let outcome: Result<Identity, IdentityError>
        let fetchedAt: ContinuousClock.Instant
        let expiresAt: ContinuousClock.Instant
    }

    /// A resolution in progress that later callers join instead of starting their own.
    struct Flight: Sendable {
        let id: UInt64
        let task: Task<Result<Identity, IdentityError>, Never>
    }

    private let resolver: any DIDResolving
    private let configuration: DirectoryConfiguration
    private let clock: IdentityClock
    private var cache: LRUCache<String, Entry>
    private var inFlight: [String: Flight] = [:]
    private var nextFlightID: UInt64 = 0

    /// Creates a directory over `resolver` (usually an `IdentityResolver`).
    public init(
        resolver: any DIDResolving, configuration: DirectoryConfiguration = DirectoryConfiguration(),
        clock: IdentityClock = .system
    ) {
        self.resolver = resolver
        self.configuration = configuration
        self.clock = clock
        self.cache = LRUCache(capacity: configuration.maxEntries)
    }

    /// The identity of `did`: from the cache while fresh, else resolved (joining a lookup already under way).
    public func lookup(_ did: String) async throws(IdentityError) -> Identity {
        if let entry = cache.value(for: did), entry.expiresAt > clock.now() {
            return try entry.outcome.get()
        }
        return try await join(did).get()
    }

    /// Resolves `did` again regardless of TTL, unless the cached answer is younger than `minimumRefreshInterval`.
    public func refresh(_ did: String) async throws(IdentityError) -> Identity {
        if let entry = cache.peek(did),
            entry.fetchedAt.duration(to: clock.now()) < configuration.minimumRefreshInterval
        {
            return try entry.outcome.get()
        }
        return try await join(did).get()
    }

    /// Forgets `did`; a lookup under way is detached so that the next lookup starts a new request.
    public func purge(_ did: String) {
        cache.remove(did)
        inFlight[did] = nil
    }

    /// Number of cached DIDs (hits and failures).
    public var cachedCount: Int { cache.count }

    /// Joins the lookup of `did` under way, or starts one; the starter records the outcome.
    private func join(_ did: String) async -> Result<Identity, IdentityError> {
        if let flight = inFlight[did] {
            return await flight.task.value
        }
        nextFlightID += 1
        let id = nextFlightID
        let resolver = self.resolver
        let task = Task { () -> Result<Identity, IdentityError> in
            do throws(IdentityError) {
                return .success(try await resolver.resolve(did))
            } catch {
                return .failure(error)
            }
        }
        inFlight[did] = Flight(id: id, task: task)
        let outcome = await task.value
        // A purge during the lookup detached this flight: its answer may predate the change, so do not cache it.
        if inFlight[did]?.id == id {
            inFlight[did] = nil
            record(outcome, for: did)
        }
        return outcome
    }

    /// Caches an outcome with the TTL its kind deserves; malformed DIDs are not cached (they cost nothing to
    /// reject again, and caching them would let junk evict real entries).
    private func record(_ outcome: Result<Identity, IdentityError>, for did: String) {
        let ttl: Duration
        switch outcome {
        case .success:
            ttl = configuration.successTTL
        case .failure(.invalidDID), .failure(.unsupportedMethod):
            return
        case .failure:
            ttl = configuration.errorTTL
        }
        let now = clock.now()
        cache.set(Entry(outcome: outcome, fetchedAt: now, expiresAt: now.advanced(by: ttl)), for: did)
    }
}
