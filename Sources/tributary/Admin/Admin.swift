import ArgumentParser

/// `tributary admin …`: the relay's admin API (docs/admin.md) from the shell.
struct Admin: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Operate a running relay: hosts, bans, limits, takedowns, subscribers, epoch, public crawl.",
        discussion: """
            Talks to the relay's /admin/ API with a bearer token: --token, else TRIBUTARY_ADMIN_TOKEN, else the \
            file <data-dir>/admin-token that `tributary serve` writes. Output is a table; --json prints the \
            server's JSON. Errors print the server's message and exit with status 1.
            """,
        subcommands: [
            AdminHostsCommand.self, AdminAddHostCommand.self, AdminBanHostCommand.self, AdminUnbanHostCommand.self,
            AdminBanDomainCommand.self, AdminUnbanDomainCommand.self, AdminDomainBansCommand.self,
            AdminSetLimitsCommand.self, AdminTakedownCommand.self, AdminRestoreCommand.self, AdminAccountCommand.self,
            AdminSubscribersCommand.self, AdminBumpEpochCommand.self, AdminPublicCrawlCommand.self,
            AdminPullHostsCommand.self,
        ])
}
