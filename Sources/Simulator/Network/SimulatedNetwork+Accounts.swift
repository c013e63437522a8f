import ATCrypto
import ATData
import ATRepo
import Firehose

extension SimulatedNetwork {
    /// Creates an account on `host` (default: round-robin by account count): a key, a DID document in the PLC
    /// directory, and on the host `#identity`, `#account` (active) and a first `#commit` that creates the profile
    /// record (`since` null, `prevData` = the empty tree's root).
    @discardableResult
    public func createAccount(on host: SimulatedHost? = nil, curve: KeyCurve = .k256, handle: String? = nil) throws
        -> SimulatedAccount
    {
        guard !isShutDown else { throw SimulatorError.shutDown }
        var hostIndex = accountOrder.count % hosts.count
        if let host { hostIndex = try self.hostIndex(of: host) }
        var did = PLCIdentifier.make(using: &random)
        while accounts[did] != nil { did = PLCIdentifier.make(using: &random) }
        let name = handle ?? "u\(did.dropFirst(8).prefix(10)).\(configuration.handleDomain)"
        let key = makeKey(curve: curve)
        let account = AccountState(did: did, key: key, handle: name, host: hostIndex)
        plc.publish(SimulatedDIDDocument(did: did, handle: name, signingKey: key.publicKey,
                                         pdsEndpoint: hosts[hostIndex].url))
        accounts[did] = account
        accountOrder.append(did)
        _ = emit(on: hostIndex) { .identity(IdentityMessage(seq: $0, did: did, time: now(), handle: name)) }
        _ = emit(on: hostIndex) { .account(AccountMessage(seq: $0, did: did, time: now(), active: true)) }
        _ = try write(did, [.create(.profile, rkey: "self")])
        return account.snapshot(hostname: hosts[hostIndex].hostname)
    }

    /// Emits `#identity` (with the current handle) on the account's host.
    @discardableResult
    public func emitIdentity(_ did: String) throws(SimulatorError) -> EmittedEvent {
        let account = try state(did)
        let handle = account.handle
        return emit(on: account.host) { .identity(IdentityMessage(seq: $0, did: did, time: now(), handle: handle)) }
    }

    /// Changes the handle in the DID document and emits `#identity`.
    @discardableResult
    public func changeHandle(_ did: String, to handle: String) throws(SimulatorError) -> EmittedEvent {
        let account = try state(did)
        account.handle = handle
        plc.update(did) { $0.handle = handle }
        return try emitIdentity(did)
    }

    /// Replaces the account's signing key (same curve unless given) in the DID document; later commits are signed
    /// with the new key. Emits `#identity` unless `announce` is false (a relay then learns of it only by the
    /// re-resolve after a failed signature check).
    @discardableResult
    public func rotateKey(_ did: String, curve: KeyCurve? = nil, announce: Bool = true) throws(SimulatorError)
        -> EmittedEvent?
    {
        let account = try state(did)
        let key = makeKey(curve: curve ?? account.key.curve)
        account.keyBox.key = key
        plc.update(did) { $0.signingKey = key.publicKey.multikey }
        return announce ? try emitIdentity(did) : nil
    }

    /// Sets the hosting status and emits `#account` on the account's host (`status` nil for plain active).
    /// Writes stay possible for inactive accounts, so tests can check that a relay drops them.
    @discardableResult
    public func setStatus(_ did: String, active: Bool, status: String? = nil) throws(SimulatorError)
        -> EmittedEvent
    {
        let account = try state(did)
        account.active = active
        account.status = status
        return emit(on: account.host) {
            .account(AccountMessage(seq: $0, did: did, time: now(), active: active, status: status))
        }
    }

    /// Moves the account to `target`, as a real migration does: the DID document's `#atproto_pds` (and, with
    /// `rotateKey`, its key) are updated first; the new host emits `#identity`, `#account` (active) and a commit
    /// without ops that continues the same repository (same MST, next rev, `since`/`prevData` chained); then the
    /// old host emits `#account` with `oldHostStatus` (default `deactivated`, what the old PDS does when the user
    /// deactivates the old account after migrating; pass `deleted` for a deleted one, or nil for a host that
    /// simply stops emitting for the account). A relay must ignore the old host's event: it is no longer the PDS.
    @discardableResult
    public func migrate(_ did: String, to target: SimulatedHost, rotateKey: Bool = true,
                        oldHostStatus: String? = AccountMessage.Status.deactivated.rawValue) throws -> MigrationOutcome
    {
        let account = try state(did)
        let newHost = try hostIndex(of: target)
        let oldHost = account.host
        guard newHost != oldHost else { throw SimulatorError.unknownHost("\(target.hostname) already hosts \(did)") }
        if rotateKey { account.keyBox.key = makeKey(curve: account.key.curve) }
        let key = account.key.publicKey.multikey
        plc.update(did) { document in
            document.pdsEndpoint = target.url
            document.signingKey = key
        }
        account.host = newHost
        account.active = true
        account.status = nil
        departed[newHost]?[did] = nil
        var events = [try emitIdentity(did)]
        events.append(emit(on: newHost) { .account(AccountMessage(seq: $0, did: did, time: now(), active: true)) })
        events.append(try write(did, []).event)
        var oldEvent: EmittedEvent? = nil
        if let oldHostStatus {
            departed[oldHost, default: [:]][did] = oldHostStatus
            oldEvent = emit(on: oldHost) {
                .account(AccountMessage(seq: $0, did: did, time: now(), active: false, status: oldHostStatus))
            }
        } else {
            departed[oldHost, default: [:]][did] = AccountMessage.Status.deactivated.rawValue
        }
        return MigrationOutcome(newHostEvents: events, oldHostEvent: oldEvent)
    }

    /// Tombstones the DID in the PLC directory and emits `#account` (deleted) — a deleted account.
    @discardableResult
    public func deleteAccount(_ did: String) throws(SimulatorError) -> EmittedEvent {
        let event = try setStatus(did, active: false, status: AccountMessage.Status.deleted.rawValue)
        plc.tombstone(did)
        return event
    }
}
