import Synchronization

/// The relay's view of identities: a bounded cache in front of a resolver, with concurrent lookups of one DID
/// coalesced into a single request.
///
/// Hits are served for `successTTL`, failures (not found, tombstoned, network errors) for `errorTTL`. `purge`
/// forgets a DID (after an `#identity` event); `refresh` re-resolves once (after a signature or host-authority
/// failure), but not more often than `minimumRefreshInterval`.
///
/// A class with a lock rather than an actor: every relay event looks its DID up, and a hit must not cost two
/// executor hops.
public final class IdentityDirectory: Sendable {
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

    private struct State {
        var cache: LRUCache<String, Entry>
        var inFlight: [String: Flight] = [:]
        var nextFlightID: UInt64 = 0
    }

    private let resolver: any DIDResolving
    private let configuration: DirectoryConfiguration
    private let clock: IdentityClock
    private let state: Mutex<State>

    /// Creates a directory over `resolver` (usually an `IdentityResolver`).
    public init(
        resolver: any DIDResolving, configuration: DirectoryConfiguration = DirectoryConfiguration(),
        clock: IdentityClock = .system
    ) {
        self.resolver = resolver
        self.configuration = configuration
        self.clock = clock
        self.state = Mutex(State(cache: LRUCache(capacity: configuration.maxEntries)))
    }

    /// The identity of `did`: from the cache while fresh, else resolved (joining a lookup already under way).
    public func lookup(_ did: String) async throws(IdentityError) -> Identity {
        let now = clock.now()
        return try await resolve(did) { state in
            guard let entry = state.cache.value(for: did), entry.expiresAt > now else { return nil }
            return entry.outcome
        }.get()
    }

    /// Resolves `did` again regardless of TTL, unless the cached answer is younger than `minimumRefreshInterval`.
    public func refresh(_ did: String) async throws(IdentityError) -> Identity {
        let now = clock.now()
        let minimum = configuration.minimumRefreshInterval
        return try await resolve(did) { state in
            guard let entry = state.cache.peek(did), entry.fetchedAt.duration(to: now) < minimum else { return nil }
            return entry.outcome
        }.get()
    }

    /// Forgets `did`; a lookup under way is detached so that the next lookup starts a new request.
    public func purge(_ did: String) async {
        state.withLock { state in
            state.cache.remove(did)
            state.inFlight[did] = nil
        }
    }

    /// Number of cached DIDs (hits and failures).
    public var cachedCount: Int {
        get async { state.withLock { $0.cache.count } }
    }

    /// The cached outcome `usable` accepts, or else the lookup of `did` under way, or a new one (whose starter
    /// records the outcome). The cache check and the start are one locked step, so concurrent misses share one
    /// request.
    private func resolve(
        _ did: String, usable: (inout State) -> Result<Identity, IdentityError>?
    ) async -> Result<Identity, IdentityError> {
        enum Joined {
            case cached(Result<Identity, IdentityError>)
            case existing(Task<Result<Identity, IdentityError>, Never>)
            case started(Task<Result<Identity, IdentityError>, Never>, id: UInt64)
        }
        let resolver = self.resolver
        let joined = state.withLock { state -> Joined in
            if let outcome = usable(&state) { return .cached(outcome) }
            if let flight = state.inFlight[did] { return .existing(flight.task) }
            state.nextFlightID += 1
            let id = state.nextFlightID
            let task = Task { () -> Result<Identity, IdentityError> in
                do throws(IdentityError) {
                    return .success(try await resolver.resolve(did))
                } catch {
                    return .failure(error)
                }
            }
            state.inFlight[did] = Flight(id: id, task: task)
            return .started(task, id: id)
        }
        switch joined {
        case .cached(let outcome):
            return outcome
        case .existing(let task):
            return await task.value
        case .started(let task, let id):
            let outcome = await task.value
            // A purge during the lookup detached this flight: its answer may predate the change, so do not cache it.
            let now = clock.now()
            state.withLock { state in
                guard state.inFlight[did]?.id == id else { return }
                state.inFlight[did] = nil
                record(outcome, for: did, now: now, in: &state)
            }
            return outcome
        }
    }

    /// Caches an outcome with the TTL its kind deserves; malformed DIDs are not cached (they cost nothing to
    /// reject again, and caching them would let junk evict real entries).
    private func record(
        _ outcome: Result<Identity, IdentityError>, for did: String, now: ContinuousClock.Instant,
        in state: inout State
    ) {
        let ttl: Duration
        switch outcome {
        case .success:
            ttl = configuration.successTTL
        case .failure(.invalidDID), .failure(.unsupportedMethod):
            return
        case .failure:
            ttl = configuration.errorTTL
        }
        state.cache.set(Entry(outcome: outcome, fetchedAt: now, expiresAt: now.advanced(by: ttl)), for: did)
    }
}
