import EventLog
import Hummingbird
import Logging
import Relay

/// The operator API under `/admin/` (docs/admin.md): hosts, bans, limits, takedowns, subscribers, epoch, public
/// crawl. Every route requires `Authorization: Bearer <token>`; bodies are JSON; errors are
/// `{"error","message"}` with the status of the ``RelayAdminError`` case.
///
/// Wire it through ``RelayServer``'s `extraRoutes`:
/// `extraRoutes: { AdminRoutes.register(on: $0, administration: relay, subscribers: registry, log: log, token: t) }`
/// with the same `registry` passed to ``RelayServer/init(configuration:log:logger:metrics:registry:extraRoutes:)``.
public enum AdminRoutes {
    /// Registers every `/admin/` route on `router`.
    public static func register(on router: Router<RelayRequestContext>, administration: any RelayAdministration,
                                subscribers: SubscriberRegistry, log: EventLog, token: AdminToken)
    {
        let admin = router.group("admin").add(middleware: AdminAuthMiddleware(token: token))
        let relay = administration

        admin.get("hosts") { _, _ -> Response in
            try AdminJSON.response(AdminHostList(hosts: try await call { () async throws(RelayAdminError) in
                try await relay.listHosts()
            }))
        }
        admin.post("hosts") { request, context -> Response in
            let hostname = try AdminInput.hostname(try await AdminJSON.decode(AdminHostRequest.self, from: request)
                .hostname)
            audit(context, "add host", ["hostname": "\(hostname)"])
            return try AdminJSON.response(try await call { () async throws(RelayAdminError) in
                try await relay.addHost(hostname)
            })
        }
        admin.post("hosts/ban") { request, context -> Response in
            let hostname = try AdminInput.hostname(try await AdminJSON.decode(AdminHostRequest.self, from: request)
                .hostname)
            audit(context, "ban host", ["hostname": "\(hostname)"])
            try await call { () async throws(RelayAdminError) in try await relay.banHost(hostname) }
            return try AdminJSON.response(AdminHostBan(hostname: hostname, banned: true))
        }
        admin.post("hosts/unban") { request, context -> Response in
            let hostname = try AdminInput.hostname(try await AdminJSON.decode(AdminHostRequest.self, from: request)
                .hostname)
            audit(context, "unban host", ["hostname": "\(hostname)"])
            try await call { () async throws(RelayAdminError) in try await relay.unbanHost(hostname) }
            return try AdminJSON.response(AdminHostBan(hostname: hostname, banned: false))
        }
        admin.post("hosts/limits") { request, context -> Response in
            let body = try await AdminJSON.decode(AdminHostLimitsRequest.self, from: request)
            let hostname = try AdminInput.hostname(body.hostname)
            audit(context, "set host limits", ["hostname": "\(hostname)", "accountLimit": "\(describe(body.accountLimit))",
                                               "trusted": "\(body.trusted.map { "\($0)" } ?? "unchanged")"])
            return try AdminJSON.response(try await call { () async throws(RelayAdminError) in
                try await relay.setHostLimits(hostname, accountLimit: body.accountLimit, trusted: body.trusted)
            })
        }

        admin.get("domains/banned") { _, _ -> Response in
            try AdminJSON.response(AdminDomainBanList(domains: try await call { () async throws(RelayAdminError) in
                try await relay.listDomainBans()
            }))
        }
        admin.post("domains/ban") { request, context -> Response in
            let domain = try AdminInput.hostname(try await AdminJSON.decode(AdminDomainRequest.self, from: request)
                .domain, field: "domain")
            audit(context, "ban domain", ["domain": "\(domain)"])
            try await call { () async throws(RelayAdminError) in try await relay.banDomain(domain) }
            return try AdminJSON.response(AdminDomainBan(domain: domain, banned: true))
        }
        admin.post("domains/unban") { request, context -> Response in
            let domain = try AdminInput.hostname(try await AdminJSON.decode(AdminDomainRequest.self, from: request)
                .domain, field: "domain")
            audit(context, "unban domain", ["domain": "\(domain)"])
            try await call { () async throws(RelayAdminError) in try await relay.unbanDomain(domain) }
            return try AdminJSON.response(AdminDomainBan(domain: domain, banned: false))
        }

        admin.post("accounts/takedown") { request, context -> Response in
            let did = try AdminInput.did(try await AdminJSON.decode(AdminAccountRequest.self, from: request).did)
            audit(context, "takedown", ["did": "\(did)"])
            try await call { () async throws(RelayAdminError) in try await relay.takedown(did: did) }
            return try AdminJSON.response(AdminTakedown(did: did, takendown: true))
        }
        admin.post("accounts/restore") { request, context -> Response in
            let did = try AdminInput.did(try await AdminJSON.decode(AdminAccountRequest.self, from: request).did)
            audit(context, "restore", ["did": "\(did)"])
            try await call { () async throws(RelayAdminError) in try await relay.restore(did: did) }
            return try AdminJSON.response(AdminTakedown(did: did, takendown: false))
        }
        admin.get("account") { request, _ -> Response in
            let did = try SyncQueryParameters(request, names: ["did"]).did()
            let account = try await call { () async throws(RelayAdminError) in try await relay.account(did: did) }
            return try AdminJSON.response(AdminAccountView(account))
        }

        admin.get("subscribers") { _, _ -> Response in
            try AdminJSON.response(AdminSubscriberSnapshot.take(registry: subscribers, log: log))
        }
        admin.post("epoch/bump") { _, context -> Response in
            audit(context, "bump epoch", [:])
            let epoch = try await call { () async throws(RelayAdminError) in try await relay.bumpEpoch() }
            return try AdminJSON.response(AdminEpoch(epoch: epoch))
        }
        admin.get("public-crawl") { _, _ -> Response in
            try AdminJSON.response(AdminPublicCrawl(enabled: await relay.publicCrawlEnabled()))
        }
        admin.post("public-crawl") { request, context -> Response in
            let body = try await AdminJSON.decode(AdminPublicCrawl.self, from: request)
            audit(context, "set public crawl", ["enabled": "\(body.enabled)"])
            await relay.setPublicCrawl(enabled: body.enabled)
            return try AdminJSON.response(AdminPublicCrawl(enabled: await relay.publicCrawlEnabled()))
        }
    }

    /// Runs one relay operation, turning its ``RelayAdminError`` into the matching HTTP error.
    static func call<T>(_ operation: () async throws(RelayAdminError) -> T) async throws(XRPCError) -> T {
        do {
            return try await operation()
        } catch {
            throw AdminJSON.error(for: error)
        }
    }

    /// `unchanged`, `default` or the number, for the audit log.
    static func describe(_ limit: UInt64??) -> String {
        switch limit {
        case .none: "unchanged"
        case .some(.none): "default"
        case .some(.some(let value)): "\(value)"
        }
    }

    /// Every change made through the API is logged with the client's address.
    static func audit(_ context: RelayRequestContext, _ action: String, _ metadata: Logger.Metadata) {
        var metadata = metadata
        metadata["client"] = "\(context.clientAddress)"
        context.logger.notice("admin: \(action)", metadata: metadata)
    }
}
