import ATData
import ATIdentity
import ATRepo
import EventLog
import Firehose
import Logging

/// Applies the verification policy of design §7 to one upstream event and says what to write.
///
/// Called for one DID at a time in upstream order (``DIDSerializer``), after the previous event of the DID is
/// queued for the writer; its account record is read from the writer's ``AccountStateCache`` first, so it is
/// current even before that event commits.
///
/// A class: the rules of each event hold it, and copying its fields (the configuration among them) for every
/// event showed up in profiles.
final class EventValidator: Sendable {
    let log: EventLog
    let accounts: AccountStateCache
    let identities: IdentityService
    let registry: HostRegistry
    let configuration: RelayConfiguration
    let metrics: RelayMetrics
    let logger: Logger

    init(log: EventLog, accounts: AccountStateCache, identities: IdentityService, registry: HostRegistry,
         configuration: RelayConfiguration, metrics: RelayMetrics, logger: Logger)
    {
        self.log = log
        self.accounts = accounts
        self.identities = identities
        self.registry = registry
        self.configuration = configuration
        self.metrics = metrics
        self.logger = logger
    }

    /// A decision: the change to commit (possibly just the ticket), or a drop.
    enum Decision: Sendable {
        case write(IngestChange)
        case drop(DropReason, IngestChange)
        case ignore(String, IngestChange)
    }

    func handle(_ event: UpstreamEvent) async -> Decision {
        guard let did = event.frame.did else { return .drop(.unknownMessageType, event.skip) }
        guard DID.isValid(did) else { return .drop(.invalidDID, event.skip) }
        let stored: AccountState?
        do {
            // The newest record, even one still queued for the writer (the previous event of this DID).
            stored = try accounts.account(did) ?? log.read { try $0.account(did) }
        } catch {
            logger.error("account read failed", metadata: ["did": "\(did)", "error": "\(error)"])
            return .drop(.identityUnavailable, event.skip)
        }
        let host = event.host.hostname.value
        if let stored, stored.host == host, stored.hostGeneration == event.generation, let last = stored.hostSeq,
            event.seq <= last
        {
            return .ignore("replayed_seq", event.skip)
        }
        if event.host.isBanned { return .drop(.hostBanned, event.skip) }
        switch event.frame {
        case .commit(let message):
            return await CommitRules(validator: self, event: event, message: message, stored: stored).decide()
        case .sync(let message):
            return await SyncRules(validator: self, event: event, message: message, stored: stored).decide()
        case .identity(let message):
            return await identity(message, event: event, stored: stored)
        case .account(let message):
            return await account(message, event: event, stored: stored)
        case .info, .error, .unknown:
            return .drop(.unknownMessageType, event.skip)
        }
    }

    // MARK: shared steps

    /// The account's identity, checked to name this host as its PDS (re-resolved once if it does not).
    func authoritativeIdentity(_ did: String, host: Hostname) async -> Result<Identity, DropReason> {
        guard let identity = await identities.lookup(did) else { return .failure(.identityUnavailable) }
        if Self.names(identity, host) { return .success(identity) }
        guard let fresh = await identities.refresh(did) else { return .failure(.identityUnavailable) }
        return Self.names(fresh, host) ? .success(fresh) : .failure(.hostAuthority)
    }

    static func names(_ identity: Identity, _ host: Hostname) -> Bool {
        guard let authority = identity.pdsHost else { return false }
        // An endpoint already in the normal form names the host exactly (this runs for every event): no parse.
        if authority == host.value { return true }
        guard let pdsHost = Hostname(authority) else { return false }
        return pdsHost == host
    }

    /// The account record to build on for an event from `event.host`: the stored one (moved to this host if the
    /// DID document says it migrated here), or a new one — throttled if the host is over its account limit.
    /// Returns the record and the account-count changes per host.
    func attach(_ did: String, stored: AccountState?, event: UpstreamEvent) -> (AccountState, [String: Int64]) {
        let host = event.host
        var account: AccountState
        var deltas: [String: Int64] = [:]
        if var existing = stored {
            if existing.host != host.hostname.value {
                if !existing.throttled {
                    deltas[existing.host] = -1
                    registry.releaseAccountSlot(existing.host)
                }
                existing.throttled = !registry.reserveAccountSlot(host)
                if !existing.throttled { deltas[host.hostname.value] = 1 }
                existing.host = host.hostname.value
                existing.hostSeq = nil
                logger.info("account moved host", metadata: ["did": "\(did)", "host": "\(host.hostname)"])
            }
            account = existing
        } else {
            account = AccountState(did: did, host: host.hostname.value)
            account.throttled = !registry.reserveAccountSlot(host)
            if !account.throttled { deltas[host.hostname.value] = 1 }
        }
        account.hostGeneration = event.generation
        return (account, deltas)
    }

    /// An event that passed the account and identity checks shared by `#commit` and `#sync`.
    struct Admission {
        let identity: Identity
        let account: AccountState
        let deltas: [String: Int64]
        /// The ticket, carrying the account record when it is new or moved (kept even if the event is dropped).
        let change: IngestChange

        /// The change that accepts the event: the account moves to `rev`, `commit` and `data` at the host's
        /// `hostSeq`, and the event is appended, `frame` giving its bytes for the seq the log assigns.
        func accepting(rev: String, commit: CID, data: CID, hostSeq: UInt64, kind: EventKind, did: String,
                       frame: @escaping @Sendable (UInt64) -> [UInt8]) -> IngestChange
        {
            var account = self.account
            account.rev = rev
            account.commit = commit
            account.data = data
            account.hostSeq = hostSeq
            var change = self.change
            change.account = account
            change.accountDeltas = deltas
            change.append = .init(kind: kind, did: did, frame: frame)
            return change
        }
    }

    enum AdmissionOutcome {
        case admitted(Admission)
        case decided(Decision)
    }

    /// The steps `#commit` and `#sync` share after their own cheap checks: the stored account's status, the
    /// authoritative identity (one re-resolve), attaching a new or moved account, and the resulting status.
    func admit(_ did: String, stored: AccountState?, event: UpstreamEvent) async -> AdmissionOutcome {
        let skip = event.skip
        if let stored, let blocked = statusBlock(stored), stored.host == event.host.hostname.value {
            return .decided(.drop(blocked, skip))
        }
        let identity: Identity
        switch await authoritativeIdentity(did, host: event.host.hostname) {
        case .success(let value): identity = value
        case .failure(let reason): return .decided(.drop(reason, skip))
        }
        let (account, deltas) = attach(did, stored: stored, event: event)
        var change = skip
        if account != stored {
            // A new or moved account is recorded even when this event is dropped (limits, migrations).
            change.account = account
            change.accountDeltas = deltas
        }
        if let blocked = statusBlock(account) { return .decided(.drop(blocked, change)) }
        return .admitted(Admission(identity: identity, account: account, deltas: deltas, change: change))
    }

    /// The drop reason for an account that may not emit events now, if any.
    func statusBlock(_ account: AccountState) -> DropReason? {
        if account.status != .active { return .accountTakenDown }
        if account.throttled { return .accountThrottled }
        if !account.upstreamStatus.isActive { return .accountInactive }
        return nil
    }

    /// Whether `commit` is signed by the account's key, re-resolving the DID document once on failure.
    func signatureHolds(_ commit: Commit, identity: Identity) async -> Bool {
        if let key = identity.signingKey, commit.isSigned(by: key) { return true }
        guard let fresh = await identities.refresh(commit.did), let key = fresh.signingKey else { return false }
        return commit.isSigned(by: key)
    }

    /// Rev checks shared by `#commit` and `#sync`: a TID, not too far in the future.
    func revProblem(_ rev: String) -> DropReason? {
        guard let tid = try? TID(rev) else { return .invalidRev }
        let now = UInt64(max(0, LogTime.now().microseconds))
        let skew = configuration.maxFutureRev.components.seconds * 1_000_000
        if tid.microsecondsSinceEpoch > now + UInt64(max(0, skew)) { return .revInFuture }
        return nil
    }

    // MARK: #identity and #account

    func identity(_ message: IdentityMessage, event: UpstreamEvent, stored: AccountState?) async -> Decision {
        await identities.purge(message.did)
        let identity: Identity
        switch await authoritativeIdentity(message.did, host: event.host.hostname) {
        case .success(let value): identity = value
        case .failure(let reason): return .drop(reason, event.skip)
        }
        var (account, deltas) = attach(message.did, stored: stored, event: event)
        account.hostSeq = event.seq
        var change = event.skip
        change.account = account
        change.accountDeltas = deltas
        if account.throttled { return .drop(.accountThrottled, change) }
        let handle = await identities.verifiedHandle(of: identity)
        let outgoing = IdentityMessage(seq: message.seq, did: message.did, time: message.time, handle: handle)
        change.append = .init(kind: .identity, did: message.did) { seq in
            var frame = outgoing
            frame.seq = Int64(seq)
            return FrameEncoder.encode(frame)
        }
        return .write(change)
    }

    func account(_ message: AccountMessage, event: UpstreamEvent, stored: AccountState?) async -> Decision {
        switch await authoritativeIdentity(message.did, host: event.host.hostname) {
        case .success: break
        case .failure(let reason): return .drop(reason, event.skip)
        }
        var (account, deltas) = attach(message.did, stored: stored, event: event)
        account.hostSeq = event.seq
        account.upstreamStatus = message.active ? .active : AccountStatus(rawValue: message.status ?? "deactivated")
        var change = event.skip
        change.account = account
        change.accountDeltas = deltas
        if account.throttled { return .drop(.accountThrottled, change) }
        change.append = Self.accountAppend(account, time: message.time)
        return .write(change)
    }

    /// An `#account` event carrying the relay's combined view of the account.
    static func accountAppend(_ account: AccountState, time: String) -> IngestChange.Append {
        let status = account.effectiveStatus
        let active = status.isActive
        let did = account.did
        return .init(kind: .account, did: did) { seq in
            FrameEncoder.encode(AccountMessage(
                seq: Int64(seq), did: did, time: time, active: active, status: active ? nil : status.rawValue))
        }
    }
}
