import ATIdentity

/// The identity lookups ingest needs, with failures folded into `nil` (the caller turns them into a drop reason).
struct IdentityService: Sendable {
    let directory: IdentityDirectory
    /// Returns the handle of an identity if it verifies both ways, else nil.
    let verifyHandle: @Sendable (Identity) async -> String?

    func lookup(_ did: String) async -> Identity? {
        guard let identity = try? await directory.lookup(did), identity.isFunctional else { return nil }
        return identity
    }

    func refresh(_ did: String) async -> Identity? {
        guard let identity = try? await directory.refresh(did), identity.isFunctional else { return nil }
        return identity
    }

    func purge(_ did: String) async { await directory.purge(did) }

    /// Longest wait for a handle check: the DID's later events queue behind its `#identity`, so an unreachable
    /// handle host must not hold them for the resolver's full timeout.
    static let handleTimeout: Duration = .seconds(3)

    /// The verified handle, or nil if it does not verify within ``handleTimeout``.
    func verifiedHandle(of identity: Identity) async -> String? {
        let verify = verifyHandle
        return await withTaskGroup(of: String??.self) { group in
            group.addTask { .some(await verify(identity)) }
            group.addTask {
                try? await Task.sleep(for: Self.handleTimeout)
                return .none
            }
            let first = await group.next() ?? .none
            group.cancelAll()
            return first ?? nil
        }
    }
}
