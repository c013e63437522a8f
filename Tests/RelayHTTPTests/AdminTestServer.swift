import AsyncHTTPClient
import EventLog
import Foundation
import Hummingbird
import Logging
import NIOCore
import NIOHTTP1
@testable import RelayHTTP
import ServiceLifecycle

/// A real relay HTTP server on 127.0.0.1 (port 0) with the admin routes (over ``LogBackedAdministration``) and the
/// sync queries, on a real LMDB log in a temporary folder; plus a real HTTP client.
final class AdminTestServer: Sendable {
    static let token = "test-admin-token-0123456789abcdef"

    let log: EventLog
    let administration: LogBackedAdministration
    let registry: SubscriberRegistry
    let port: Int
    let directory: String
    let http: HTTPClient
    private let group: ServiceGroup
    private let task: Task<Void, any Error>

    /// A raw response.
    struct Reply: Sendable {
        var status: Int
        var headers: [(name: String, value: String)]
        var body: [UInt8]

        var json: [String: Any] { (try? JSONSerialization.jsonObject(with: Data(body))) as? [String: Any] ?? [:] }
        var errorName: String? { json["error"] as? String }
        func header(_ name: String) -> String? { headers.first { $0.name.lowercased() == name.lowercased() }?.value }
    }

    static func start() async throws -> AdminTestServer {
        let directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("tributary-admin-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        var configuration = EventLog.Configuration(directory: directory)
        configuration.epoch = 1000
        let log = try EventLog(configuration)
        let administration = LogBackedAdministration(log: log)
        let registry = SubscriberRegistry()
        let adminToken = try AdminToken(Self.token)
        var logger = Logger(label: "admin-test")
        logger.logLevel = .critical
        let server = RelayServer(
            configuration: RelayServerConfiguration(host: "127.0.0.1", port: 0), log: log, logger: logger,
            registry: registry,
            extraRoutes: { router in
                SyncQueryRoutes.register(on: router, log: log, crawl: nil)
                AdminRoutes.register(on: router, administration: administration, subscribers: registry, log: log,
                                     token: adminToken)
            })
        let (stream, continuation) = AsyncStream.makeStream(of: Int.self)
        let app = server.application { port in continuation.yield(port) }
        let group = ServiceGroup(services: [app], logger: logger)
        let task = Task { try await group.run() }
        var iterator = stream.makeAsyncIterator()
        guard let port = await iterator.next() else { throw CancellationError() }
        return AdminTestServer(log: log, administration: administration, registry: registry, port: port,
                               directory: directory, http: HTTPClient(eventLoopGroupProvider: .singleton),
                               group: group, task: task)
    }

    private init(log: EventLog, administration: LogBackedAdministration, registry: SubscriberRegistry, port: Int,
                 directory: String, http: HTTPClient, group: ServiceGroup, task: Task<Void, any Error>)
    {
        self.log = log
        self.administration = administration
        self.registry = registry
        self.port = port
        self.directory = directory
        self.http = http
        self.group = group
        self.task = task
    }

    var baseURL: String { "http://127.0.0.1:\(port)" }

    /// An admin client with `token`.
    func client(token: String = AdminTestServer.token) -> AdminClient {
        AdminClient(baseURL: baseURL, token: token, http: http, timeout: .seconds(10))
    }

    /// A raw request to `path` (e.g. `/admin/hosts`) with optional headers and body.
    func raw(_ method: HTTPMethod, _ path: String, headers: [(String, String)] = [], body: String? = nil)
        async throws -> Reply
    {
        var request = HTTPClientRequest(url: baseURL + path)
        request.method = method
        for (name, value) in headers { request.headers.add(name: name, value: value) }
        if let body { request.body = .bytes(ByteBuffer(string: body)) }
        let response = try await http.execute(request, timeout: .seconds(10))
        let bytes = try await response.body.collect(upTo: 1 << 24)
        return Reply(status: Int(response.status.code), headers: response.headers.map { ($0.name, $0.value) },
                     body: Array(buffer: bytes))
    }

    /// A raw request with the right bearer token.
    func authorized(_ method: HTTPMethod, _ path: String, body: String? = nil) async throws -> Reply {
        try await raw(method, path, headers: [("Authorization", "Bearer \(Self.token)")], body: body)
    }

    /// Stores hosts directly in the log.
    func putHosts(_ hosts: [HostState]) throws {
        try log.write { txn in for host in hosts { try txn.putHost(host) } }
    }

    func stop() async {
        try? await http.shutdown()
        await group.triggerGracefulShutdown()
        _ = try? await task.value
        log.close()
        try? FileManager.default.removeItem(atPath: directory)
    }

    /// Runs `body` against a fresh server and always stops it.
    static func with(_ body: (AdminTestServer) async throws -> Void) async throws {
        let server = try await start()
        do {
            try await body(server)
        } catch {
            await server.stop()
            throw error
        }
        await server.stop()
    }
}
