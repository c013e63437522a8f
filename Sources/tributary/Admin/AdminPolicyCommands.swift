import ArgumentParser
import RelayHTTP

/// `tributary admin ban-domain D`.
struct AdminBanDomainCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ban-domain", abstract: "Ban a domain and every subdomain (matching hosts are banned too).")
    @OptionGroup var options: AdminOptions
    @Argument(help: "Domain, e.g. example.com") var domain: String

    func run() async throws {
        try await options.execute(AdminDomainBan.self, { client async throws(AdminClientError) in
            try await client.send(.post, "domains/ban", body: AdminDomainRequest(domain: domain))
        }, text: { "banned domain \($0.domain)" })
    }
}

/// `tributary admin unban-domain D`.
struct AdminUnbanDomainCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "unban-domain", abstract: "Lift a domain ban (hosts banned one by one stay banned).")
    @OptionGroup var options: AdminOptions
    @Argument(help: "Domain, e.g. example.com") var domain: String

    func run() async throws {
        try await options.execute(AdminDomainBan.self, { client async throws(AdminClientError) in
            try await client.send(.post, "domains/unban", body: AdminDomainRequest(domain: domain))
        }, text: { "unbanned domain \($0.domain)" })
    }
}

/// `tributary admin domain-bans`.
struct AdminDomainBansCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "domain-bans", abstract: "List the banned domains.")
    @OptionGroup var options: AdminOptions

    func run() async throws {
        try await options.execute(AdminDomainBanList.self, { client async throws(AdminClientError) in
            try await client.send(.get, "domains/banned")
        }, text: { $0.domains.isEmpty ? "(no banned domains)" : $0.domains.joined(separator: "\n") })
    }
}

/// `tributary admin takedown DID`.
struct AdminTakedownCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "takedown", abstract: "Take an account down: emit #account, scrub its events, drop new ones.")
    @OptionGroup var options: AdminOptions
    @Argument(help: "The account's DID") var did: String

    func run() async throws {
        try await options.execute(AdminTakedown.self, { client async throws(AdminClientError) in
            try await client.send(.post, "accounts/takedown", body: AdminAccountRequest(did: did))
        }, text: { "took down \($0.did)" })
    }
}

/// `tributary admin restore DID`.
struct AdminRestoreCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "restore", abstract: "Restore a taken-down account (its upstream status applies again).")
    @OptionGroup var options: AdminOptions
    @Argument(help: "The account's DID") var did: String

    func run() async throws {
        try await options.execute(AdminTakedown.self, { client async throws(AdminClientError) in
            try await client.send(.post, "accounts/restore", body: AdminAccountRequest(did: did))
        }, text: { "restored \($0.did)" })
    }
}

/// `tributary admin account DID`.
struct AdminAccountCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "account", abstract: "Show an account's stored state.")
    @OptionGroup var options: AdminOptions
    @Argument(help: "The account's DID") var did: String

    func run() async throws {
        try await options.execute(AdminAccountView.self, { client async throws(AdminClientError) in
            try await client.send(.get, "account", query: [("did", did)])
        }, text: { account in
            var table = TextTable("FIELD", "VALUE")
            table.add(["did", account.did])
            table.add(["status", account.status])
            table.add(["upstreamStatus", account.upstreamStatus])
            table.add(["effectiveStatus", account.effectiveStatus])
            table.add(["active", "\(account.active)"])
            table.add(["host", account.host])
            table.add(["rev", account.rev ?? "-"])
            table.add(["commit", account.commit ?? "-"])
            table.add(["data", account.data ?? "-"])
            table.add(["throttled", "\(account.throttled)"])
            return table.text
        })
    }
}
