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

    func verifiedHandle(of identity: Identity) async -> String? { await verifyHandle(identity) }
}
