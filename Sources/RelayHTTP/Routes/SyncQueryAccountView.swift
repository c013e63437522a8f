import EventLog

/// How the sync queries present one stored account: the status the relay reports and what it serves.
///
/// The relay's own status (a takedown, say) wins over the host's; an account held back by its host's account
/// limit is reported as `throttled`. `active` follows ``AccountStatus/isActive`` (so `desynchronized` and
/// `throttled` accounts stay active, as `#account` reports them).
struct SyncQueryAccountView: Sendable, Equatable {
    /// The reported status.
    let status: AccountStatus

    init(_ account: AccountState) {
        let effective = account.effectiveStatus
        status = effective == .active && account.throttled ? .throttled : effective
    }

    /// `active` of `listRepos` and `getRepoStatus`.
    var active: Bool { status.isActive }

    /// `status` of `listRepos` and `getRepoStatus`: left out for a plainly active account.
    var statusField: String? { status == .active ? nil : status.rawValue }

    /// The error `getLatestCommit` and `getRepo` answer for this account, `nil` when its repo is served.
    ///
    /// HTTP codes: the three status errors are 400 like the reference PDS's XRPC errors; `RepoNotFound`
    /// (including deleted accounts, which a PDS no longer knows) is 404.
    func unavailable(_ did: String) -> XRPCError? {
        switch status {
        case _ where status.isActive: nil
        case .takendown: XRPCError(.badRequest, "RepoTakendown", "repo \(did) has been taken down")
        case .suspended: XRPCError(.badRequest, "RepoSuspended", "repo \(did) is suspended")
        case .deactivated: XRPCError(.badRequest, "RepoDeactivated", "repo \(did) is deactivated")
        default: SyncQueryAccountView.notFound(did, detail: "repo \(did) is \(status.rawValue)")
        }
    }

    /// 404 RepoNotFound.
    static func notFound(_ did: String, detail: String? = nil) -> XRPCError {
        XRPCError(.notFound, "RepoNotFound", detail ?? "no repo \(did) on this relay")
    }
}
