import ArgumentParser
import Relay
import RelayHTTP

/// `tributary admin hosts`.
struct AdminHostsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "hosts", abstract: "List every known host.")
    @OptionGroup var options: AdminOptions

    func run() async throws {
        try await options.execute(AdminHostList.self, { client async throws(AdminClientError) in
            try await client.send(.get, "hosts")
        }, text: { AdminHostTable.text($0.hosts) })
    }
}

/// `tributary admin add-host H`.
struct AdminAddHostCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "add-host", abstract: "Add a host (skips the public crawl quota) and start crawling it.")
    @OptionGroup var options: AdminOptions
    @Argument(help: "hostname[:port]") var hostname: String

    func run() async throws {
        try await options.execute(AdminHostView.self, { client async throws(AdminClientError) in
            try await client.send(.post, "hosts", body: AdminHostRequest(hostname: hostname))
        }, text: { AdminHostTable.text([$0]) })
    }
}

/// `tributary admin ban-host H`.
struct AdminBanHostCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ban-host", abstract: "Ban a host: close its connection and drop its events.")
    @OptionGroup var options: AdminOptions
    @Argument(help: "hostname[:port]") var hostname: String

    func run() async throws {
        try await options.execute(AdminHostBan.self, { client async throws(AdminClientError) in
            try await client.send(.post, "hosts/ban", body: AdminHostRequest(hostname: hostname))
        }, text: { "banned host \($0.hostname)" })
    }
}

/// `tributary admin unban-host H`.
struct AdminUnbanHostCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "unban-host", abstract: "Lift a host ban; the host is crawled again from its cursor.")
    @OptionGroup var options: AdminOptions
    @Argument(help: "hostname[:port]") var hostname: String

    func run() async throws {
        try await options.execute(AdminHostBan.self, { client async throws(AdminClientError) in
            try await client.send(.post, "hosts/unban", body: AdminHostRequest(hostname: hostname))
        }, text: { "unbanned host \($0.hostname)" })
    }
}

/// `tributary admin set-limits H [--account-limit N|default] [--trusted true|false]`.
struct AdminSetLimitsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "set-limits", abstract: "Change a host's account limit and/or trusted flag.")
    @OptionGroup var options: AdminOptions
    @Argument(help: "hostname[:port]") var hostname: String
    @Option(help: "Accounts the host may serve, or 'default' for the relay's default.")
    var accountLimit: AccountLimitArgument?
    @Option(help: "Trusted hosts have no account limit: true or false.")
    var trusted: Bool?

    func validate() throws {
        guard accountLimit != nil || trusted != nil else {
            throw ValidationError("give --account-limit and/or --trusted")
        }
    }

    func run() async throws {
        let request = AdminHostLimitsRequest(hostname: hostname, accountLimit: accountLimit.map(\.limit),
                                             trusted: trusted)
        try await options.execute(AdminHostView.self, { client async throws(AdminClientError) in
            try await client.send(.post, "hosts/limits", body: request)
        }, text: { AdminHostTable.text([$0]) })
    }
}

/// `--account-limit N` or `--account-limit default`.
struct AccountLimitArgument: ExpressibleByArgument, Equatable {
    /// nil = the relay's default.
    let limit: UInt64?

    init?(argument: String) {
        if argument == "default" {
            limit = nil
        } else if let number = UInt64(argument) {
            limit = number
        } else {
            return nil
        }
    }
}

/// The host table of `hosts`, `add-host` and `set-limits`.
enum AdminHostTable {
    static func text(_ hosts: [AdminHostView]) -> String {
        guard !hosts.isEmpty else { return "(no hosts)" }
        var table = TextTable("HOSTNAME", "STATUS", "CONNECTED", "CURSOR", "ACCOUNTS", "LIMIT", "TRUSTED", "EVENTS",
                              "DROPPED")
        for host in hosts {
            let dropped = host.droppedByReason.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }
            table.add([host.hostname, host.status, host.connected ? "yes" : "no", "\(host.cursor)",
                       "\(host.accountCount)", host.accountLimit.map { "\($0)" } ?? "unlimited",
                       host.trusted ? "yes" : "no", "\(host.eventCount)",
                       dropped.isEmpty ? "-" : dropped.joined(separator: ",")])
        }
        return table.text
    }
}
