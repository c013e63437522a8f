import ArgumentParser
import RelayHTTP

/// `tributary admin subscribers`.
struct AdminSubscribersCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "subscribers", abstract: "List connected subscribeRepos consumers and their lag in events.")
    @OptionGroup var options: AdminOptions

    func run() async throws {
        try await options.execute(AdminSubscriberList.self, { client async throws(AdminClientError) in
            try await client.send(.get, "subscribers")
        }, text: { list in
            var lines = ["epoch \(list.epoch), head seq \(list.headSeq), \(list.subscribers.count) subscriber(s)"]
            guard !list.subscribers.isEmpty else { return lines[0] }
            var table = TextTable("ID", "ADDRESS", "CURSOR", "SHARD", "STRIP", "COMPRESSED", "CONNECTED AT",
                                  "POSITION", "LAG")
            for subscriber in list.subscribers {
                let shard = subscriber.shards.map { "\(subscriber.shard ?? 0)/\($0)" } ?? "all"
                table.add(["\(subscriber.id)", subscriber.remoteAddress, subscriber.cursor.map { "\($0)" } ?? "live",
                           shard, subscriber.stripProofs ? "yes" : "no", subscriber.compressed ? "yes" : "no",
                           subscriber.connectedAt, "\(subscriber.position)", "\(subscriber.lag)"])
            }
            lines.append(table.text)
            return lines.joined(separator: "\n")
        })
    }
}

/// `tributary admin bump-epoch`.
struct AdminBumpEpochCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bump-epoch", abstract: "Move the log to a new epoch: max(epoch + 1, today's day count).")
    @OptionGroup var options: AdminOptions

    func run() async throws {
        try await options.execute(AdminEpoch.self, { client async throws(AdminClientError) in
            try await client.send(.post, "epoch/bump")
        }, text: { "epoch \($0.epoch)" })
    }
}

/// `tributary admin public-crawl [on|off]`.
struct AdminPublicCrawlCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "public-crawl", abstract: "Show, or turn on/off, public com.atproto.sync.requestCrawl.")
    @OptionGroup var options: AdminOptions

    /// `on` or `off`.
    enum Setting: String, ExpressibleByArgument, CaseIterable {
        case on, off
    }

    @Argument(help: "on or off (omit to show the current setting)") var setting: Setting?

    func run() async throws {
        let body = setting.map { AdminPublicCrawl(enabled: $0 == .on) }
        try await options.execute(AdminPublicCrawl.self, { client async throws(AdminClientError) in
            try await client.send(body == nil ? .get : .post, "public-crawl", body: body)
        }, text: { "public requestCrawl: \($0.enabled ? "on" : "off")" })
    }
}
