import ATIdentity
import EventLog
import Foundation
import Hummingbird
import Logging
import Relay
import ServiceLifecycle
import RelayHTTP
import Simulator

/// A relay and its firehose service running in this process against a simulated network, with its log in a
/// temporary folder (`demo`, `bench ingest`).
final class LoopbackRelay: Sendable {
    let directory: String
    let log: EventLog
    let relay: Relay
    let server: RelayServer
    let resolver: IdentityResolver
    let port: Int
    private let serverGroup: ServiceGroup
    private let tasks: [Task<Void, any Error>]

    /// Starts the relay on `host:port` (port 0 = any), crawling every host of `network`.
    static func start(
        network: SimulatedNetwork, host: String = "127.0.0.1", port: Int, logger: Logger,
        configure: (inout RelayConfiguration) -> Void = { _ in }
    ) async throws -> LoopbackRelay {
        let directory = (NSTemporaryDirectory() as NSString).appendingPathComponent("tributary-\(UUID().uuidString)")
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        var logConfiguration = EventLog.Configuration(directory: directory)
        logConfiguration.mapSize = 1 << 34
        let log = try EventLog(logConfiguration)
        let plc = network.plc
        let resolver = IdentityResolver(configuration: ResolverConfiguration(
            plcURL: network.plcURL, allowPrivateHosts: true, handleBaseURL: { plc.handleBaseURL(for: $0) }))
        var configuration = RelayConfiguration()
        configuration.plcURL = network.plcURL
        configuration.allowPrivateHosts = true
        configuration.crawl = network.hosts.map(\.hostname)
        configuration.defaultAccountLimit = 1_000_000
        configure(&configuration)
        let relay = Relay(
            configuration: configuration, log: log, directory: IdentityDirectory(resolver: resolver),
            verifyHandle: { await resolver.verifiedHandle(of: $0) }, logger: logger)
        let server = RelayServer(
            configuration: RelayServerConfiguration(host: host, port: port, maxSubscribersPerAddress: 1000,
                                                    version: TributaryVersion.string),
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
        guard let bound = await iterator.next() else { throw ValidationFailure("the relay did not start") }
        return LoopbackRelay(
            directory: directory, log: log, relay: relay, server: server, resolver: resolver, port: bound,
            serverGroup: group, tasks: [serving, ingesting])
    }

    private init(directory: String, log: EventLog, relay: Relay, server: RelayServer, resolver: IdentityResolver,
                 port: Int, serverGroup: ServiceGroup, tasks: [Task<Void, any Error>])
    {
        self.serverGroup = serverGroup
        self.directory = directory
        self.log = log
        self.relay = relay
        self.server = server
        self.resolver = resolver
        self.port = port
        self.tasks = tasks
    }

    /// The subscribeRepos URL.
    var firehoseURL: String { "ws://127.0.0.1:\(port)/xrpc/com.atproto.sync.subscribeRepos" }

    /// Stops ingest and the server, closes the log and deletes its folder.
    func stop() async {
        // Ingest first (it finishes its queued writes), then the server closes its subscribers gracefully.
        tasks[1].cancel()
        _ = try? await tasks[1].value
        await serverGroup.triggerGracefulShutdown()
        _ = try? await tasks[0].value
        try? await resolver.shutdown()
        log.close()
        try? FileManager.default.removeItem(atPath: directory)
    }
}

/// A failure to report on the command line.
struct ValidationFailure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
