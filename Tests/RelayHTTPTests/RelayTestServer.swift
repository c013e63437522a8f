import EventLog
import Foundation
import Hummingbird
import Logging
@testable import RelayHTTP
import ServiceLifecycle

/// A real relay HTTP server on 127.0.0.1 (port 0) over a real LMDB log in a temporary folder.
final class RelayTestServer: Sendable {
    let log: EventLog
    let server: RelayServer
    let port: Int
    let directory: String
    private let task: Task<Void, any Error>

    static func start(maxPerAddress: Int = 16, stallCheckInterval: Duration = .seconds(5),
                      closeGracePeriod: Duration = .seconds(30),
                      configure: (inout EventLog.Configuration) -> Void = { _ in })
        async throws -> RelayTestServer
    {
        let directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("tributary-http-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        var configuration = EventLog.Configuration(directory: directory)
        configuration.epoch = 1000
        configure(&configuration)
        let log = try EventLog(configuration)
        var logger = Logger(label: "relay-test")
        logger.logLevel = .critical
        var serverConfiguration = RelayServerConfiguration(host: "127.0.0.1", port: 0,
                                                           maxSubscribersPerAddress: maxPerAddress)
        serverConfiguration.stallCheckInterval = stallCheckInterval
        serverConfiguration.closeGracePeriod = closeGracePeriod
        let server = RelayServer(configuration: serverConfiguration, log: log, logger: logger)
        let (stream, continuation) = AsyncStream.makeStream(of: Int.self)
        let app = server.application { port in continuation.yield(port) }
        let task = Task { try await app.runService() }
        var iterator = stream.makeAsyncIterator()
        guard let port = await iterator.next() else { throw CancellationError() }
        return RelayTestServer(log: log, server: server, port: port, directory: directory, task: task)
    }

    private init(log: EventLog, server: RelayServer, port: Int, directory: String, task: Task<Void, any Error>) {
        self.log = log
        self.server = server
        self.port = port
        self.directory = directory
        self.task = task
    }

    var baseURL: String { "http://127.0.0.1:\(port)" }
    var wsURL: String { "ws://127.0.0.1:\(port)/xrpc/com.atproto.sync.subscribeRepos" }

    func stop() async {
        task.cancel()
        _ = try? await task.value
        log.close()
        try? FileManager.default.removeItem(atPath: directory)
    }
}
