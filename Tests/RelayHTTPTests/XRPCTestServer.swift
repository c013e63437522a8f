import AsyncHTTPClient
import EventLog
import Foundation
import Hummingbird
import Logging
import NIOCore
@testable import RelayHTTP
import ServiceLifecycle

/// A real relay HTTP server on 127.0.0.1 (port 0) with the sync query routes, over a real LMDB log in a temporary
/// folder, plus a real HTTP client that does not follow redirects.
final class XRPCTestServer: Sendable {
    let log: EventLog
    let port: Int
    let directory: String
    let client: HTTPClient
    private let group: ServiceGroup
    private let task: Task<Void, any Error>

    /// A response as the tests look at it.
    struct Reply: Sendable {
        var status: Int
        var headers: [(name: String, value: String)]
        var body: [UInt8]

        /// The first value of header `name` (case-insensitive).
        func header(_ name: String) -> String? {
            headers.first { $0.name.lowercased() == name.lowercased() }?.value
        }

        /// The body as a JSON object (empty if it is not one).
        var json: [String: Any] {
            (try? JSONSerialization.jsonObject(with: Data(body))) as? [String: Any] ?? [:]
        }

        /// `error` of an XRPC error body.
        var errorName: String? { json["error"] as? String }
    }

    static func start(crawl: (any CrawlRequestHandler)? = nil) async throws -> XRPCTestServer {
        let directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("tributary-xrpc-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        var configuration = EventLog.Configuration(directory: directory)
        configuration.epoch = 1000
        let log = try EventLog(configuration)
        var logger = Logger(label: "xrpc-test")
        logger.logLevel = .warning
        let server = RelayServer(
            configuration: RelayServerConfiguration(host: "127.0.0.1", port: 0), log: log, logger: logger,
            extraRoutes: { router in SyncQueryRoutes.register(on: router, log: log, crawl: crawl) })
        let (stream, continuation) = AsyncStream.makeStream(of: Int.self)
        let app = server.application { port in continuation.yield(port) }
        let group = ServiceGroup(services: [app], logger: logger)
        let task = Task { try await group.run() }
        var iterator = stream.makeAsyncIterator()
        guard let port = await iterator.next() else { throw CancellationError() }
        var clientConfiguration = HTTPClient.Configuration()
        clientConfiguration.redirectConfiguration = .disallow
        let client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: clientConfiguration)
        return XRPCTestServer(log: log, port: port, directory: directory, client: client, group: group,
                              task: task)
    }

    private init(log: EventLog, port: Int, directory: String, client: HTTPClient, group: ServiceGroup,
                 task: Task<Void, any Error>)
    {
        self.log = log
        self.port = port
        self.directory = directory
        self.client = client
        self.group = group
        self.task = task
    }

    /// `GET /xrpc/<method>?<query>` (the query is sent as written).
    func get(_ method: String, _ query: String = "") async throws -> Reply {
        let url = "http://127.0.0.1:\(port)/xrpc/\(method)" + (query.isEmpty ? "" : "?\(query)")
        return try await send(HTTPClientRequest(url: url))
    }

    /// `POST /xrpc/<method>` with `body`.
    func post(_ method: String, body: String) async throws -> Reply {
        var request = HTTPClientRequest(url: "http://127.0.0.1:\(port)/xrpc/\(method)")
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/json")
        request.body = .bytes(ByteBuffer(string: body))
        return try await send(request)
    }

    private func send(_ request: HTTPClientRequest) async throws -> Reply {
        let response = try await client.execute(request, timeout: .seconds(10))
        let body = try await response.body.collect(upTo: 1 << 24)
        return Reply(status: Int(response.status.code), headers: response.headers.map { ($0.name, $0.value) },
                     body: Array(buffer: body))
    }

    func stop() async {
        try? await client.shutdown()
        await group.triggerGracefulShutdown()
        _ = try? await task.value
        log.close()
        try? FileManager.default.removeItem(atPath: directory)
    }

    /// Runs `body` against a fresh server and always stops it.
    static func with(crawl: (any CrawlRequestHandler)? = nil,
                     _ body: (XRPCTestServer) async throws -> Void) async throws
    {
        let server = try await start(crawl: crawl)
        do {
            try await body(server)
        } catch {
            await server.stop()
            throw error
        }
        await server.stop()
    }
}
