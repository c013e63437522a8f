import ArgumentParser
import EventLog
import Foundation
import Logging
import RelayHTTP
import ServiceLifecycle

/// `tributary serve`: opens the event log and serves the firehose, the XRPC queries and health.
struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Serve the event log: subscribeRepos (epochs, shards, stripProofs, compression), the sync queries, _health.",
        discussion: "Every option can also be set as TRIBUTARY_<OPTION>, e.g. TRIBUTARY_DATA_DIR=/var/lib/tributary.")

    static let environmentOptions: [EnvironmentDefaults.Option] = [
        .init(name: "data-dir", isFlag: false), .init(name: "listen", isFlag: false),
        .init(name: "metrics-listen", isFlag: false),
        .init(name: "epoch", isFlag: false), .init(name: "retention", isFlag: false),
        .init(name: "max-log-bytes", isFlag: false), .init(name: "sync", isFlag: false),
        .init(name: "max-subscribers-per-address", isFlag: false), .init(name: "log-level", isFlag: false),
    ]

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

    func run() async throws {
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
                                                 "head": "\(log.headSeq)"])

        let server = RelayServer(
            configuration: RelayServerConfiguration(host: host, port: port,
                                                    maxSubscribersPerAddress: maxSubscribersPerAddress,
                                                    version: TributaryVersion.string),
            log: log, logger: logger,
            extraRoutes: { router in SyncQueryRoutes.register(on: router, log: log, crawl: nil) })
        let startupLogger = logger
        let app = server.application { port in startupLogger.info("listening", metadata: ["port": "\(port)"]) }
        let metrics = MetricsServer(host: metricsHost, port: metricsPort, registry: registry)
            .application(logger: logger)
        let retention = RetentionService(log: log)
        let stats = LogStatsService(log: log, registry: server.subscribers.registry)
        let group = ServiceGroup(
            configuration: .init(services: [.init(service: app), .init(service: metrics), .init(service: retention),
                                            .init(service: stats)],
                                 gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
        try await group.run()
        logger.info("stopped")
    }

    /// Splits `host:port`.
    static func hostAndPort(_ text: String, option: String) throws -> (String, Int) {
        guard let colon = text.lastIndex(of: ":"), let port = Int(text[text.index(after: colon)...]),
            (0...65535).contains(port)
        else { throw ValidationError("\(option) must be host:port") }
        return (String(text[..<colon]), port)
    }
}

/// Runs retention passes until shutdown.
struct RetentionService: Service {
    let log: EventLog

    func run() async throws {
        await cancelWhenGracefulShutdown {
            await log.runRetention(every: .seconds(60))
        }
    }
}
