import EventLog
import Hummingbird
import Logging

/// The relay's `com.atproto.sync` XRPC queries over the stored account and host state, plus `requestCrawl`.
///
/// Wire it through ``RelayServer``'s `extraRoutes`:
/// `extraRoutes: { SyncQueryRoutes.register(on: $0, log: log, crawl: handler) }`.
/// Errors are XRPC JSON: bad parameters are 400 `InvalidRequest`; `RepoNotFound` and `HostNotFound` are 404;
/// `RepoTakendown`, `RepoSuspended`, `RepoDeactivated` are 400; `requestCrawl` without a handler is 501.
public enum SyncQueryRoutes {
    /// Registers every route on `router`; `crawl` takes `requestCrawl` (nil answers 501 NotImplemented).
    public static func register(on router: Router<RelayRequestContext>, log: EventLog,
                                crawl: (any CrawlRequestHandler)?)
    {
        router.get("/xrpc/com.atproto.sync.listRepos") { request, context -> SyncListReposOutput in
            let parameters = try SyncQueryParameters(request, names: ["limit", "cursor"])
            let limit = try parameters.limit(default: 500, maximum: 1000)
            let cursor = try parameters.cursor()
            return try read(log, context) { txn in try SyncQueryPages.repos(txn, after: cursor, limit: limit) }
        }
        router.get("/xrpc/com.atproto.sync.getLatestCommit") { request, context -> SyncLatestCommitOutput in
            let did = try SyncQueryParameters(request, names: ["did"]).did()
            let account = try servedAccount(log, context, did)
            guard let commit = account.commit, let rev = account.rev else {
                throw SyncQueryAccountView.notFound(did, detail: "no commit of repo \(did) seen yet")
            }
            return SyncLatestCommitOutput(cid: commit.string, rev: rev)
        }
        router.get("/xrpc/com.atproto.sync.getRepoStatus") { request, context -> SyncRepoStatusOutput in
            let did = try SyncQueryParameters(request, names: ["did"]).did()
            guard let account = try read(log, context, { txn in try SyncQueryPages.account(txn, did) }) else {
                throw SyncQueryAccountView.notFound(did)
            }
            let view = SyncQueryAccountView(account)
            return SyncRepoStatusOutput(did: did, active: view.active, status: view.statusField,
                                        rev: view.active ? account.rev : nil)
        }
        router.get("/xrpc/com.atproto.sync.getRepo") { request, context -> Response in
            let parameters = try SyncQueryParameters(request, names: ["did", "since"])
            let did = try parameters.did()
            let since = try parameters.since()
            let account = try servedAccount(log, context, did)
            guard let url = SyncQueryRepoLocation.url(host: account.host, did: did, since: since) else {
                throw SyncQueryAccountView.notFound(did, detail: "the host of repo \(did) is not known")
            }
            return Response(status: .found, headers: [.location: url])
        }
        router.get("/xrpc/com.atproto.sync.listHosts") { request, context -> SyncListHostsOutput in
            let parameters = try SyncQueryParameters(request, names: ["limit", "cursor"])
            let limit = try parameters.limit(default: 200, maximum: 1000)
            let cursor = try parameters.cursor()
            return try read(log, context) { txn in try SyncQueryPages.hosts(txn, after: cursor, limit: limit) }
        }
        router.get("/xrpc/com.atproto.sync.getHostStatus") { request, context -> SyncHostEntry in
            let hostname = try SyncQueryParameters(request, names: ["hostname"]).hostname()
            guard let host = try read(log, context, { txn in try SyncQueryPages.host(txn, hostname) }) else {
                throw XRPCError(.notFound, "HostNotFound", "the relay does not know host \(hostname)")
            }
            return SyncQueryPages.entry(host)
        }
        CrawlRequests.register(on: router, crawl: crawl)
    }

    /// The stored account of `did` if its repo is served (active), else the matching XRPC error.
    private static func servedAccount(_ log: EventLog, _ context: RelayRequestContext, _ did: String)
        throws(XRPCError) -> AccountState
    {
        guard let account = try read(log, context, { txn in try SyncQueryPages.account(txn, did) }) else {
            throw SyncQueryAccountView.notFound(did)
        }
        if let error = SyncQueryAccountView(account).unavailable(did) { throw error }
        return account
    }

    /// Runs a read transaction; a failing store becomes a logged 500 XRPC error rather than a bare one.
    private static func read<R>(_ log: EventLog, _ context: RelayRequestContext,
                                _ body: (borrowing LogReadTransaction) throws -> R) throws(XRPCError) -> R
    {
        do {
            return try log.read(body)
        } catch let error as XRPCError {
            throw error
        } catch {
            context.logger.error("sync query: state read failed", metadata: ["error": "\(error)"])
            throw XRPCError(.internalServerError, "InternalServerError", "relay state could not be read")
        }
    }
}
