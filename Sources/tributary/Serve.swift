import ArgumentParser
import EventLog
import Foundation
import Logging
import ATIdentity
import Relay
import RelayHTTP
import ServiceLifecycle

/// `tributary serve`: opens the event log and serves the firehose, the XRPC queries and health.
struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run the relay: crawl hosts, verify and log their events, serve subscribeRepos, the sync queries and _health.",
        discussion: """
            Every option can also be set as TRIBUTARY_<OPTION>, e.g. TRIBUTARY_DATA_DIR=/var/lib/tributary, or as a \
            key of the YAML file given with --config (e.g. data-dir: /var/lib/tributary). Precedence: command line, \
            then environment, then file, then the defaults below.
            """)

    static let environmentOptions: [EnvironmentDefaults.Option] = [
        .init(name: "data-dir", isFlag: false), .init(name: "listen", isFlag: false),
        .init(name: "metrics-listen", isFlag: false),
        .init(name: "epoch", isFlag: false), .init(name: "retention", isFlag: false),
        .init(name: "max-log-bytes", isFlag: false), .init(name: "sync", isFlag: false),
        .init(name: "max-subscribers-per-address", isFlag: false), .init(name: "log-level", isFlag: false),
        .init(name: "plc-url", isFlag: false), .init(name: "crawl", isFlag: false, isList: true),
        .init(name: "allow-private-hosts", isFlag: true), .init(name: "lenient", isFlag: true),
        .init(name: "default-account-limit", isFlag: false), .init(name: "trusted-hosts", isFlag: false, isList: true),
        .init(name: "new-hosts-per-day", isFlag: false), .init(name: "new-host-cursor", isFlag: false),
        .init(name: "no-public-crawl", isFlag: true), .init(name: "upstream-idle-timeout", isFlag: false),
        .init(name: "ingest-batch-window", isFlag: false), .init(name: "admin-token", isFlag: false),
        .init(name: "config", isFlag: false),
    ]

    /// The keys a `--config` file may set: every option except `--config` itself.
    static let configFileOptions = environmentOptions.filter { $0.name != "config" }

    /// `--sync` modes.
    enum SyncMode: String, ExpressibleByArgument, CaseIterable {
        case always, batch, periodic

        var durability: Durability {
            switch self {
            case .always: .always
            case .batch: .batch()
            case .periodic: .periodic()
            }
        }
    }

    @Option(help: "Folder of the LMDB event log and its epoch marker.")
    var dataDir = "./data"

    @Option(help: "Address and port of the public service.")
    var listen = "0.0.0.0:2470"

    @Option(help: "Address and port of the Prometheus /metrics endpoint (keep it private).")
    var metricsListen = "127.0.0.1:2471"

    @Option(help: "Epoch of a NEW log (default: days since 2023-01-01); ignored for an existing log.")
    var epoch: UInt64?

    @Option(help: "Delete events older than this (e.g. 72h, 30m; 0 keeps them).")
    var retention = DurationArgument(duration: .seconds(72 * 3600), text: "72h")

    @Option(help: "Keep stored event bytes at or below this many bytes (default: no limit).")
    var maxLogBytes: UInt64?

    @Option(help: "Durability: always (fsync per commit), batch (fsync at most every 100 ms), periodic (every 1 s).")
    var sync: SyncMode = .batch

    @Option(help: "Most concurrent subscriber connections from one client address.")
    var maxSubscribersPerAddress = 16

    @Option(help: "Log level: trace, debug, info, notice, warning, error, critical.")
    var logLevel = "info"

    @Option(help: "PLC directory used to resolve did:plc identities.")
    var plcUrl = "https://plc.directory"

    @Option(help: "A host (hostname[:port]) to crawl from the start; repeat for more. Stored, so later runs keep it.")
    var crawl: [String] = []

    @Flag(help: "Allow loopback and private hosts (tests, demo); they are reached over ws:// and http://.")
    var allowPrivateHosts = false

    @Flag(help: "Pass commits whose MST proof or prevData check fails (counted as warnings) instead of dropping them.")
    var lenient = false

    @Option(help: "Accounts a host may have before new ones are throttled.")
    var defaultAccountLimit: UInt64 = 100

    @Option(help: "Glob (* = any characters) of hosts with no account limit and high rate limits; repeat for more.")
    var trustedHosts: [String] = []

    @Option(help: "Hosts admitted per day through public requestCrawl.")
    var newHostsPerDay = 50

    @Option(help: "Where a never-read host starts: oldest (cursor 0, all it retains) or live.")
    var newHostCursor: NewHostCursor = .oldest

    @Flag(help: "Refuse public requestCrawl (the admin API can turn it on).")
    var noPublicCrawl = false

    @Option(help: "Close and reopen a host connection silent this long (upgrade not done, ping not answered), e.g. 90s.")
    var upstreamIdleTimeout = DurationArgument(duration: .seconds(90), text: "90s")

    @Option(help: "Longest wait of a small log write batch for more events before it commits (0: none), e.g. 500us.")
    var ingestBatchWindow = DurationArgument(duration: .microseconds(500), text: "500us")

    @Option(help: "Bearer token of the /admin/ API (16+ characters); default: <data-dir>/admin-token, created 0600.")
    var adminToken: String?

    @Option(help: "YAML configuration file; keys are the option names (data-dir: /var/lib/tributary).")
    var config: String?

    @Flag(help: "Print the effective configuration as YAML (admin token redacted) and exit.")
    var printConfig = false

    func run() async throws {
        if printConfig {
            print(EffectiveConfiguration(self).yaml, terminator: "")
            return
        }
        var logger = Logger(label: "tributary")
        logger.logLevel = Logger.Level(rawValue: logLevel) ?? .info
        let (host, port) = try Self.hostAndPort(listen, option: "--listen")
        let (metricsHost, metricsPort) = try Self.hostAndPort(metricsListen, option: "--metrics-listen")
        // Metric objects created before the bootstrap would stay on the no-op backend.
        let registry = MetricsServer.bootstrap()

        var configuration = EventLog.Configuration(directory: dataDir)
        configuration.epoch = epoch
        configuration.durability = sync.durability
        configuration.retention = RetentionPolicy(maxAge: retention.duration, maxBytes: maxLogBytes)
        try FileManager.default.createDirectory(atPath: dataDir, withIntermediateDirectories: true)
        let log: EventLog
        do {
            log = try EventLog(configuration)
        } catch {
            throw ValidationError("cannot open the event log in \(dataDir): \(error)")
        }
        defer { log.close() }
        logger.info("event log open", metadata: ["dir": "\(dataDir)", "epoch": "\(log.epoch)",
                                                 "head": "\(log.headSeq)", "allocator": "\(Allocator.description)"])

        let resolver = IdentityResolver(configuration: ResolverConfiguration(
            plcURL: plcUrl, allowPrivateHosts: allowPrivateHosts))
        let directory = IdentityDirectory(resolver: resolver)
        let relay = Relay(
            configuration: relayConfiguration, log: log, directory: directory,
            verifyHandle: { identity in await resolver.verifiedHandle(of: identity) }, logger: logger)
        let crawlHandler = RelayCrawlHandler(relay: relay)
        let (token, tokenSource) = try AdminToken.resolve(explicit: adminToken, dataDirectory: dataDir)
        if tokenSource == .generated {
            // Logged once, at creation; later runs read it from the 0600 file.
            logger.notice("generated the admin API token", metadata: [
                "token": "\(token.value)", "file": "\(AdminToken.filePath(dataDirectory: dataDir))",
            ])
        }
        let subscriberRegistry = SubscriberRegistry()

        let server = RelayServer(
            configuration: RelayServerConfiguration(host: host, port: port,
                                                    maxSubscribersPerAddress: maxSubscribersPerAddress,
                                                    version: TributaryVersion.string),
            log: log, logger: logger, registry: subscriberRegistry,
            extraRoutes: { router in
                SyncQueryRoutes.register(on: router, log: log, crawl: crawlHandler)
                AdminRoutes.register(
                    on: router, administration: relay, subscribers: subscriberRegistry, log: log, token: token)
            })
        let startupLogger = logger
        let app = server.application { port in startupLogger.info("listening", metadata: ["port": "\(port)"]) }
        let metrics = MetricsServer(host: metricsHost, port: metricsPort, registry: registry)
            .application(logger: logger)
        let retention = RetentionService(log: log)
        let stats = LogStatsService(log: log, registry: server.subscribers.registry)
        let processStats = ProcessStatsService(administration: relay)
        let group = ServiceGroup(
            configuration: .init(services: [.init(service: app), .init(service: metrics), .init(service: retention),
                                            .init(service: stats), .init(service: processStats),
                                            .init(service: RelayService(relay: relay))],
                                 gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
        try await group.run()
        try? await resolver.shutdown()
        logger.info("stopped")
    }

    /// The ingest policy from the flags.
    var relayConfiguration: RelayConfiguration {
        var configuration = RelayConfiguration()
        configuration.plcURL = plcUrl
        configuration.crawl = crawl
        configuration.allowPrivateHosts = allowPrivateHosts
        configuration.lenient = lenient
        configuration.defaultAccountLimit = defaultAccountLimit
        configuration.trustedHosts = trustedHosts
        configuration.newHostsPerDay = newHostsPerDay
        configuration.newHostCursor = newHostCursor
        configuration.publicCrawl = !noPublicCrawl
        // `0` would mean no limit; a relay always needs one, so it keeps the default.
        if let idle = upstreamIdleTimeout.duration { configuration.upstreamIdleTimeout = idle }
        // `0` means no wait: each batch commits as soon as the writer is free.
        configuration.ingestBatchWindow = ingestBatchWindow.duration ?? .zero
        return configuration
    }

    /// Splits `host:port`.
    static func hostAndPort(_ text: String, option: String) throws -> (String, Int) {
        guard let colon = text.lastIndex(of: ":"), let port = Int(text[text.index(after: colon)...]),
            (0...65535).contains(port)
        else { throw ValidationError("\(option) must be host:port") }
        return (String(text[..<colon]), port)
    }
}

/// Runs ingest until graceful shutdown; the relay then closes its upstream connections and writes what is queued.
struct RelayService: Service {
    let relay: Relay

    func run() async throws {
        try await cancelWhenGracefulShutdown {
            try await relay.run()
        }
    }
}

extension NewHostCursor: ExpressibleByArgument {}

/// Runs retention passes until shutdown.
struct RetentionService: Service {
    let log: EventLog

    func run() async throws {
        await cancelWhenGracefulShutdown {
            await log.runRetention(every: .seconds(60))
        }
    }
}
