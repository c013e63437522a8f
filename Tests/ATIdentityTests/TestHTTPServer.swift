import NIOCore
import NIOHTTP1
import NIOPosix
import Synchronization

/// A real HTTP/1.1 server on 127.0.0.1 for resolver tests: canned routes, delays, stalls, oversized bodies, and
/// request counting.
final class TestHTTPServer: Sendable {
    /// What the server does for one path.
    enum Route: Sendable {
        /// A complete response.
        case respond(status: Int, body: [UInt8], headers: [(String, String)] = [])
        /// A complete response sent only after `delay`.
        case delayed(Duration, status: Int, body: [UInt8])
        /// Headers announcing `declaredLength` bytes, then a few bytes, then nothing (the connection stays open).
        case stallBody(declaredLength: Int)
        /// A chunked body of `size` bytes (no Content-Length), sent in 16 KiB chunks.
        case chunked(size: Int)

        /// A 200 JSON response.
        static func json(_ text: String) -> Route {
            .respond(status: 200, body: Array(text.utf8), headers: [("Content-Type", "application/json")])
        }

        /// A bare status with an empty body.
        static func status(_ code: Int) -> Route { .respond(status: code, body: []) }
    }

    /// Mutable server state, touched from event loop threads and tests.
    struct State {
        var routes: [String: Route] = [:]
        var counts: [String: Int] = [:]
        var active = 0
        var maxActive = 0
    }

    private let state: RouteTable
    private let group: MultiThreadedEventLoopGroup
    private let channel: Channel
    /// The port the server listens on.
    let port: Int

    private init(state: RouteTable, group: MultiThreadedEventLoopGroup, channel: Channel, port: Int) {
        self.state = state
        self.group = group
        self.channel = channel
        self.port = port
    }

    /// Starts a server on 127.0.0.1 with an ephemeral port.
    static func start(routes: [String: Route] = [:]) async throws -> TestHTTPServer {
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let table = RouteTable(State(routes: routes))
        let channel = try await ServerBootstrap(group: group)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { channel in
                channel.pipeline.configureHTTPServerPipeline().flatMapThrowing {
                    try channel.pipeline.syncOperations.addHandler(RequestHandler(table: table))
                }
            }
            .bind(host: "127.0.0.1", port: 0).get()
        guard let port = channel.localAddress?.port else { throw ChannelError.unknownLocalAddress }
        return TestHTTPServer(state: table, group: group, channel: channel, port: port)
    }

    /// `http://127.0.0.1:<port>`.
    var baseURL: String { "http://127.0.0.1:\(port)" }

    /// Replaces or adds one route.
    func setRoute(_ path: String, _ route: Route) {
        state.withLock { $0.routes[path] = route }
    }

    /// Replaces or adds several routes.
    func setRoutes(_ routes: [String: Route]) {
        state.withLock { $0.routes.merge(routes) { $1 } }
    }

    /// Requests received for `path`.
    func requests(to path: String) -> Int {
        state.withLock { $0.counts[path, default: 0] }
    }

    /// Requests received for all paths.
    var totalRequests: Int {
        state.withLock { $0.counts.values.reduce(0, +) }
    }

    /// Highest number of requests being answered at the same time.
    var maxConcurrentRequests: Int {
        state.withLock { $0.maxActive }
    }

    /// Stops the server.
    func shutdown() async throws {
        try await channel.close()
        try await group.shutdownGracefully()
    }
}

/// The server's state behind a lock, shared by the handlers and the test.
final class RouteTable: Sendable {
    private let state: Mutex<TestHTTPServer.State>

    init(_ initial: TestHTTPServer.State) {
        state = Mutex(initial)
    }

    /// Runs `body` with exclusive access to the state.
    func withLock<T>(_ body: (inout TestHTTPServer.State) -> T) -> T {
        state.withLock { body(&$0) }
    }

    /// Counts a request and returns its route (404 when unknown).
    func begin(_ path: String) -> TestHTTPServer.Route {
        state.withLock { state in
            state.counts[path, default: 0] += 1
            state.active += 1
            state.maxActive = max(state.maxActive, state.active)
            return state.routes[path] ?? .status(404)
        }
    }

    /// Marks a request as answered.
    func finish() {
        state.withLock { $0.active -= 1 }
    }
}

/// Answers each request according to the server's routes.
private final class RequestHandler: ChannelInboundHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    private let server: RouteTable
    private var path = "/"

    init(table: RouteTable) {
        self.server = table
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let head):
            path = String(head.uri.split(separator: "?", maxSplits: 1).first ?? "/")
        case .body:
            break
        case .end:
            respond(context: context, route: server.begin(path))
        }
    }

    private func respond(context: ChannelHandlerContext, route: TestHTTPServer.Route) {
        switch route {
        case .respond(let status, let body, let headers):
            send(context: context, status: status, body: body, headers: headers)
        case .delayed(let delay, let status, let body):
            let bound = NIOLoopBound((self, context), eventLoop: context.eventLoop)
            let nanoseconds = delay.components.seconds * 1_000_000_000 + delay.components.attoseconds / 1_000_000_000
            context.eventLoop.scheduleTask(in: .nanoseconds(nanoseconds)) {
                let (handler, context) = bound.value
                handler.send(context: context, status: status, body: body, headers: [])
            }
        case .stallBody(let declaredLength):
            var head = HTTPResponseHead(version: .http1_1, status: .ok)
            head.headers.add(name: "Content-Length", value: String(declaredLength))
            context.write(wrapOutboundOut(.head(head)), promise: nil)
            context.writeAndFlush(wrapOutboundOut(.body(.byteBuffer(ByteBuffer(string: "{\"id\":")))), promise: nil)
        case .chunked(let size):
            var head = HTTPResponseHead(version: .http1_1, status: .ok)
            head.headers.add(name: "Transfer-Encoding", value: "chunked")
            context.write(wrapOutboundOut(.head(head)), promise: nil)
            var remaining = size
            while remaining > 0 {
                let count = min(remaining, 16 * 1024)
                let chunk = ByteBuffer(repeating: UInt8(ascii: " "), count: count)
                context.write(wrapOutboundOut(.body(.byteBuffer(chunk))), promise: nil)
                remaining -= count
            }
            context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: nil)
            server.finish()
        }
    }

    private func send(context: ChannelHandlerContext, status: Int, body: [UInt8], headers: [(String, String)]) {
        var head = HTTPResponseHead(version: .http1_1, status: HTTPResponseStatus(statusCode: status))
        head.headers.add(name: "Content-Length", value: String(body.count))
        for (name, value) in headers { head.headers.add(name: name, value: value) }
        context.write(wrapOutboundOut(.head(head)), promise: nil)
        if !body.isEmpty {
            context.write(wrapOutboundOut(.body(.byteBuffer(ByteBuffer(bytes: body)))), promise: nil)
        }
        context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: nil)
        server.finish()
    }
}
