import EventLog
import Foundation
import Hummingbird
import Logging
import RelayHTTP

/// The relay's firehose service in-process on 127.0.0.1 over a real LMDB log in a temporary folder.
final class BenchRelay: Sendable {
    let log: EventLog
    let server: RelayServer
    let port: Int
    let directory: String
    private let task: Task<Void, any Error>

    private init(log: EventLog, server: RelayServer, port: Int, directory: String, task: Task<Void, any Error>) {
        self.log = log
        self.server = server
        self.port = port
        self.directory = directory
        self.task = task
    }

    /// Opens a fresh log (no retention) and starts the server on a free port.
    static func start(maxSubscribers: Int) async throws -> BenchRelay {
        let directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("tributary-bench-\(UUID().uuidString)").path
        var configuration = EventLog.Configuration(directory: directory)
        configuration.retention = RetentionPolicy(maxAge: nil)
        let log = try EventLog(configuration)
        var logger = Logger(label: "bench-relay")
        logger.logLevel = .error
        let server = RelayServer(
            configuration: RelayServerConfiguration(host: "127.0.0.1", port: 0, maxSubscribersPerAddress: maxSubscribers),
            log: log, logger: logger)
        let (ports, continuation) = AsyncStream.makeStream(of: Int.self)
        let app = server.application { port in continuation.yield(port) }
        let task = Task { try await app.runService() }
        var iterator = ports.makeAsyncIterator()
        guard let port = await iterator.next() else {
            log.close()
            throw CancellationError()
        }
        return BenchRelay(log: log, server: server, port: port, directory: directory, task: task)
    }

    /// The subscribeRepos path with a cursor.
    static func path(cursor: UInt64) -> String { "/xrpc/com.atproto.sync.subscribeRepos?cursor=\(cursor)" }

    /// Connected subscribers.
    var subscriberCount: Int { server.subscribers.registry.count }

    /// Waits until exactly `count` subscribers are registered (or `timeout` passes); returns whether they are.
    func waitForSubscribers(_ count: Int, timeout: Duration = .seconds(30)) async -> Bool {
        let deadline = ContinuousClock.now.advanced(by: timeout)
        while subscriberCount != count {
            guard ContinuousClock.now < deadline else { return false }
            try? await Task.sleep(for: .milliseconds(10))
        }
        return true
    }

    /// Stops the server, closes the log and deletes its folder.
    func stop() async {
        task.cancel()
        _ = try? await task.value
        log.close()
        try? FileManager.default.removeItem(atPath: directory)
    }
}
