import ATIdentity
import EventLog
import Foundation
import Hummingbird
import Logging
import Relay
import ServiceLifecycle

/// A relay (ingest and firehose service) running in this process with its log in a temporary folder, for the
/// demo, the load benchmarks and end-to-end tests. Loopback and private hosts are allowed.
public final class EmbeddedRelay: Sendable {
    /// The log's folder (deleted by ``stop()`` when the relay created it).
    public let directory: String
    let ownsDirectory: Bool
    /// The event log.
    public let log: EventLog
    /// The ingest side.
    public let relay: Relay
    /// The firehose service.
    public let server: RelayServer
    let resolver: IdentityResolver
    /// The bound port of the service.
    public let port: Int
    private let serverGroup: ServiceGroup
    private let tasks: [Task<Void, any Error>]

    /// Starts a relay on `host:port` (port 0 = any) crawling `crawl`, resolving DIDs with the PLC directory at
    /// `plcURL` and handles at `handleBaseURL(handle)`. With `directory`, the log is opened there and kept on
    /// ``stop()`` (restarts); otherwise a temporary folder is used and removed.
    public static func start(
        crawl: [String], plcURL: String, handleBaseURL: @escaping @Sendable (String) -> String,
        host: String = "127.0.0.1", port: Int = 0, logger: Logger, version: String = "0.1.0",
        directory given: String? = nil, retention: RetentionPolicy = RetentionPolicy(),
        configure: (inout RelayConfiguration) -> Void = { _ in }
    ) async throws -> EmbeddedRelay {
        let directory = given
            ?? (NSTemporaryDirectory() as NSString).appendingPathComponent("tributary-\(UUID().uuidString)")
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        var logConfiguration = EventLog.Configuration(directory: directory)
        logConfiguration.mapSize = 1 << 34
        logConfiguration.retention = retention
        let log = try EventLog(logConfiguration)
        let resolver = IdentityResolver(configuration: ResolverConfiguration(
            plcURL: plcURL, allowPrivateHosts: true, handleBaseURL: handleBaseURL))
        var configuration = RelayConfiguration()
        configuration.plcURL = plcURL
        configuration.allowPrivateHosts = true
        configuration.crawl = crawl
        configuration.defaultAccountLimit = 1_000_000
        configure(&configuration)
        let relay = Relay(
            configuration: configuration, log: log, directory: IdentityDirectory(resolver: resolver),
            verifyHandle: { await resolver.verifiedHandle(of: $0) }, logger: logger)
        let server = RelayServer(
            configuration: RelayServerConfiguration(host: host, port: port, maxSubscribersPerAddress: 1000,
                                                    version: version),
            log: log, logger: logger,
            extraRoutes: { router in
                SyncQueryRoutes.register(on: router, log: log, crawl: RelayCrawlHandler(relay: relay))
            })
        let (ports, portContinuation) = AsyncStream.makeStream(of: Int.self)
        let app = server.application { port in
            portContinuation.yield(port)
            portContinuation.finish()
        }
        let group = ServiceGroup(configuration: .init(services: [app], logger: logger))
        let serving = Task { try await group.run() }
        let ingesting = Task { try await relay.run() }
        var iterator = ports.makeAsyncIterator()
        guard let bound = await iterator.next() else { throw EmbeddedRelayError.serverDidNotStart }
        return EmbeddedRelay(
            directory: directory, ownsDirectory: given == nil, log: log, relay: relay, server: server, resolver: resolver, port: bound,
            serverGroup: group, tasks: [serving, ingesting])
    }

    private init(directory: String, ownsDirectory: Bool, log: EventLog, relay: Relay, server: RelayServer, resolver: IdentityResolver,
                 port: Int, serverGroup: ServiceGroup, tasks: [Task<Void, any Error>])
    {
        self.serverGroup = serverGroup
        self.ownsDirectory = ownsDirectory
        self.directory = directory
        self.log = log
        self.relay = relay
        self.server = server
        self.resolver = resolver
        self.port = port
        self.tasks = tasks
    }

    /// The subscribeRepos URL.
    public var firehoseURL: String { "ws://127.0.0.1:\(port)/xrpc/com.atproto.sync.subscribeRepos" }

    /// Stops ingest and the server, closes the log and deletes its folder.
    public func stop() async {
        // Ingest first (it finishes its queued writes), then the server closes its subscribers gracefully.
        tasks[1].cancel()
        _ = try? await tasks[1].value
        await serverGroup.triggerGracefulShutdown()
        _ = try? await tasks[0].value
        try? await resolver.shutdown()
        log.close()
        if ownsDirectory { try? FileManager.default.removeItem(atPath: directory) }
    }
}

/// Why an embedded relay could not start.
public enum EmbeddedRelayError: Error, Sendable {
    /// The HTTP server did not report a bound port.
    case serverDidNotStart
}
