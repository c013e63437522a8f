import ATData
import EventLog
import Foundation

extension Relay: RelayAdministration {
    public func listHosts() async throws(RelayAdminError) -> [AdminHostView] {
        let stored: [HostState]
        do {
            stored = try log.read { try $0.hosts(limit: .max) }
        } catch {
            throw .failed("\(error)")
        }
        return stored.map(view)
    }

    func view(_ state: HostState) -> AdminHostView {
        let live = registry.runtime(state.hostname)?.snapshot
        let trusted = live?.trusted ?? state.trusted
        let accountLimit: UInt64? = trusted ? nil : (state.accountLimit ?? configuration.defaultAccountLimit)
        return AdminHostView(
            hostname: state.hostname, status: (live?.status ?? state.status).rawValue, cursor: state.cursor,
            accountLimit: accountLimit, trusted: trusted, accountCount: state.accountCount,
            eventCount: state.eventCount, droppedByReason: live?.dropped ?? [:], connected: live?.connected ?? false)
    }

    private func storedHost(_ text: String) throws(RelayAdminError) -> (Hostname, HostState) {
        guard let hostname = Hostname(text) else { throw .invalid("not a hostname: \(text)") }
        let state: HostState?
        do {
            state = try log.read { try $0.host(hostname.value) }
        } catch {
            throw .failed("\(error)")
        }
        guard let state else { throw .notFound("unknown host \(hostname)") }
        return (hostname, state)
    }

    public func addHost(_ hostname: String) async throws(RelayAdminError) -> AdminHostView {
        let runtime: HostRuntime
        do {
            runtime = try await addHost(hostname, checkQuota: false, probe: false)
        } catch {
            switch error {
            case .invalidHostname(let name): throw .invalid("not a hostname: \(name)")
            case .banned(let name): throw .forbidden("\(name) is banned")
            case .forbiddenAddress(let detail): throw .forbidden("private or non-public address: \(detail)")
            default: throw .failed("\(error)")
            }
        }
        let (_, state) = try storedHost(runtime.hostname.value)
        return view(state)
    }

    public func banHost(_ hostname: String) async throws(RelayAdminError) {
        let (name, _) = try storedHost(hostname)
        try setStatus(name, .banned)
        if let runtime = registry.runtime(name.value) {
            runtime.withLive { $0.status = .banned }
            await stopConnection(runtime)
        }
        logger.notice("host banned", metadata: ["host": "\(name)"])
    }

    public func unbanHost(_ hostname: String) async throws(RelayAdminError) {
        let (name, state) = try storedHost(hostname)
        guard state.status == .banned else { return }
        if registry.isDomainBanned(name) { throw .forbidden("\(name) is within a banned domain") }
        try setStatus(name, .active)
        let (runtime, _) = registry.runtime(for: name, state: state)
        runtime.withLive { $0.status = .active }
        startConnection(runtime)
        logger.notice("host unbanned", metadata: ["host": "\(name)"])
    }

    private func setStatus(_ hostname: Hostname, _ status: HostStatus) throws(RelayAdminError) {
        do {
            try log.write { txn in
                guard var record = try txn.host(hostname.value) else { return }
                record.status = status
                try txn.putHost(record)
            }
        } catch {
            throw .failed("\(error)")
        }
    }

    public func banDomain(_ domain: String) async throws(RelayAdminError) {
        guard let parsed = Hostname(domain), parsed.port == nil else { throw .invalid("not a domain: \(domain)") }
        var domains = registry.bannedDomains
        domains.insert(parsed.name)
        try storeDomains(domains)
        for runtime in registry.all where runtime.hostname.isWithin(domain: parsed.name) {
            try await banHost(runtime.hostname.value)
        }
    }

    public func unbanDomain(_ domain: String) async throws(RelayAdminError) {
        guard let parsed = Hostname(domain), parsed.port == nil else { throw .invalid("not a domain: \(domain)") }
        var domains = registry.bannedDomains
        guard domains.remove(parsed.name) != nil else { throw .notFound("\(parsed.name) is not banned") }
        try storeDomains(domains)
    }

    private func storeDomains(_ domains: Set<String>) throws(RelayAdminError) {
        do {
            try log.write { txn in
                try txn.putSetting(SettingNames.bannedDomains, Array(domains.sorted().joined(separator: "\n").utf8))
            }
        } catch {
            throw .failed("\(error)")
        }
        registry.setBannedDomains(domains)
    }

    public func listDomainBans() async throws(RelayAdminError) -> [String] { registry.bannedDomains.sorted() }

    public func setHostLimits(_ hostname: String, accountLimit: UInt64??, trusted: Bool?) async
        throws(RelayAdminError) -> AdminHostView
    {
        let (name, _) = try storedHost(hostname)
        let updated: HostState
        do {
            updated = try log.write { txn -> HostState in
                guard var record = try txn.host(name.value) else { throw RelayAdminError.notFound(name.value) }
                if let accountLimit { record.accountLimit = accountLimit }
                if let trusted { record.trusted = trusted }
                try txn.putHost(record)
                return record
            }
        } catch let error as RelayAdminError {
            throw error
        } catch {
            throw .failed("\(error)")
        }
        if let runtime = registry.runtime(name.value) {
            let live = runtime.withLive { live -> HostRuntime.Live in
                live.accountLimitOverride = updated.accountLimit
                live.trusted = updated.trusted || registry.matchesTrustedGlob(name)
                return live
            }
            runtime.limiter.update(registry.limits(trusted: live.trusted, accountLimitOverride: live.accountLimitOverride))
            try await releaseThrottledAccounts(runtime)
        }
        let (_, state) = try storedHost(name.value)
        return view(state)
    }

    /// Lets throttled accounts of `runtime` through while its (raised) limit has room; their next events flow,
    /// and the first one that does not chain onto the (empty) stored state passes as a discontinuity.
    func releaseThrottledAccounts(_ runtime: HostRuntime) async throws(RelayAdminError) {
        let host = runtime.hostname.value
        var after: String?
        var released = 0
        var failure: (any Error)?
        do {
            // The candidates come from the log: first let everything queued so far commit (an empty change
            // commits behind it), so an account throttled by an event still in the writer's queue is found too.
            try await writer.submit(IngestChange())
            while true {
                let page = try log.read { try $0.accounts(after: after, limit: 1000) }
                guard let last = page.last else { break }
                after = last.did
                let candidates = page.filter { $0.host == host && $0.throttled }.map(\.did)
                let outcomes = await withTaskGroup(of: Result<Bool, any Error>.self) { group in
                    for did in candidates { group.addTask { await self.release(did, on: runtime) } }
                    return await group.reduce(into: []) { $0.append($1) }
                }
                for outcome in outcomes {
                    switch outcome {
                    case .success(let done): if done { released += 1 }
                    case .failure(let error): failure = error
                    }
                }
                if page.count < 1000 || failure != nil { break }
            }
        } catch {
            failure = error
        }
        if released > 0 {
            logger.info("released throttled accounts", metadata: ["host": "\(host)", "count": "\(released)"])
        }
        if let failure { throw .failed("\(failure)") }
    }

    /// Releases one throttled account in its serial lane, on its newest record (an event of it may still be queued
    /// for the writer, and writing around the lane would be overwritten by it); false when it no longer needs
    /// releasing or the host's limit is full.
    private func release(_ did: String, on runtime: HostRuntime) async -> Result<Bool, any Error> {
        await withCheckedContinuation { continuation in
            pipeline.serializer.submit(did) { [self] in
                let host = runtime.hostname.value
                do {
                    guard var account = try writer.accounts.account(did) ?? log.read({ try $0.account(did) }),
                        account.host == host, account.throttled, registry.reserveAccountSlot(runtime)
                    else { return continuation.resume(returning: .success(false)) }
                    account.throttled = false
                    var change = IngestChange()
                    change.account = account
                    change.accountDeltas = [host: 1]
                    do {
                        try await writer.submit(change)
                    } catch {
                        registry.releaseAccountSlot(host)
                        throw error
                    }
                    continuation.resume(returning: .success(true))
                } catch {
                    continuation.resume(returning: .failure(error))
                }
            }
        }
    }

    public func takedown(did: String) async throws(RelayAdminError) {
        try await changeStatus(did: did, to: .takendown)
    }

    public func restore(did: String) async throws(RelayAdminError) {
        try await changeStatus(did: did, to: .active)
    }

    /// Sets the relay's own status of an account in that account's serial lane (so it orders with its events),
    /// emitting `#account`; a takedown also scrubs the account's events from replay.
    private func changeStatus(did: String, to status: AccountStatus) async throws(RelayAdminError) {
        guard DID.isValid(did) else { throw .invalid("not a DID: \(did)") }
        let result = await withCheckedContinuation { (continuation: CheckedContinuation<RelayAdminError?, Never>) in
            pipeline.serializer.submit(did) { [self] in
                do {
                    // The lane's previous event may still be queued for the writer: build on its record.
                    var account = try writer.accounts.account(did) ?? log.read { try $0.account(did) }
                        ?? AccountState(did: did, host: "")
                    if account.status == status {
                        continuation.resume(returning: nil)
                        return
                    }
                    account.status = status
                    var change = IngestChange()
                    change.account = account
                    change.append = EventValidator.accountAppend(account, time: Datetime.now().string)
                    if status == .takendown { change.scrub = did }
                    try await writer.submit(change)
                    logger.notice("account status changed by operator", metadata: [
                        "did": "\(did)", "status": "\(status)",
                    ])
                    continuation.resume(returning: nil)
                } catch {
                    continuation.resume(returning: .failed("\(error)"))
                }
            }
        }
        if let result { throw result }
    }

    public func account(did: String) async throws(RelayAdminError) -> AccountState {
        guard DID.isValid(did) else { throw .invalid("not a DID: \(did)") }
        let account: AccountState?
        do {
            account = try log.read { try $0.account(did) }
        } catch {
            throw .failed("\(error)")
        }
        guard let account else { throw .notFound("unknown account \(did)") }
        return account
    }

    public func bumpEpoch() async throws(RelayAdminError) -> UInt64 {
        do {
            let epoch = try log.bumpEpoch()
            logger.notice("epoch bumped", metadata: ["epoch": "\(epoch)"])
            return epoch
        } catch {
            throw .failed("\(error)")
        }
    }

    public func publicCrawlEnabled() async -> Bool { registry.publicCrawl }

    public func setPublicCrawl(enabled: Bool) async {
        registry.setPublicCrawl(enabled)
        do {
            try log.write { txn in try txn.putSetting(SettingNames.publicCrawl, [enabled ? 1 : 0]) }
        } catch {
            logger.error("could not store the public-crawl setting", metadata: ["error": "\(error)"])
        }
    }
}
