import Firehose
import Hummingbird
import HummingbirdWebSocket
import Logging
import Synchronization
import Testing

/// One upgraded WebSocket connection as the scripted test server sees it.
struct ServerConnection: Sendable {
    /// 0 for the first connection, then 1, 2, …
    let index: Int
    /// The request target, query included.
    let path: String
    let outbound: WebSocketOutboundWriter
    let inbound: WebSocketInboundStream
    /// Closes the TCP connection without a WebSocket close frame.
    let drop: @Sendable () async -> Void

    func send(_ bytes: [UInt8]) async throws {
        try await outbound.write(.binary(ByteBuffer(bytes: bytes)))
    }

    func send(_ frame: FirehoseFrame) async throws {
        try await send(FrameEncoder.encode(frame))
    }

    /// Pauses before a server-side close. swift-nio 2.101's HTTP response decoder drops the bytes that followed the
    /// `101` when the client reads the server's FIN in the same event-loop tick as the `101` (the deferred decoder
    /// removal then sees EOF): a server that writes and closes within microseconds of the upgrade loses its frames.
    /// That is common on loopback under load and possible over a network (see `FirehoseClient`'s docs), so the
    /// scripts that close do it after this pause.
    func settle() async throws {
        try await Task.sleep(for: .milliseconds(200))
    }

    /// Waits until the client closes (reads and discards anything it sends).
    func waitForClientClose() async {
        do {
            for try await _ in inbound {}
        } catch {}
    }
}

/// A real WebSocket server on 127.0.0.1 (port 0) whose connections each run `script`.
final class ClientTestServer: Sendable {
    typealias Script = @Sendable (ServerConnection) async throws -> Void

    private let state = Mutex(State())
    private struct State {
        var paths: [String] = []
        var ended: Set<Int> = []
    }

    /// Request targets of the upgrades so far, in order.
    var paths: [String] { state.withLock { $0.paths } }
    /// Indexes of connections whose script has returned (for a waiting script: the client closed).
    var ended: Set<Int> { state.withLock { $0.ended } }

    /// Starts the server, runs `body` with it and the bound port, then shuts it down.
    static func with<T: Sendable>(
        _ script: @escaping Script, _ body: @Sendable (ClientTestServer, Int) async throws -> T
    ) async throws -> T {
        let server = ClientTestServer()
        let (ports, portContinuation) = AsyncStream.makeStream(of: Int.self)
        var logger = Logger(label: "client-test-server")
        logger.logLevel = .warning
        let app = Application(
            router: Router(),
            server: .http1WebSocketUpgrade { request, channel, _ in
                let index = server.state.withLock { state in
                    state.paths.append(request.path ?? "")
                    return state.paths.count - 1
                }
                let path = request.path ?? ""
                let drop: @Sendable () async -> Void = { try? await channel.close() }
                return .upgrade([:]) { inbound, outbound, _ in
                    let connection = ServerConnection(
                        index: index, path: path, outbound: outbound, inbound: inbound, drop: drop)
                    defer { _ = server.state.withLock { $0.ended.insert(index) } }
                    try await script(connection)
                }
            },
            configuration: .init(address: .hostname("127.0.0.1", port: 0)),
            onServerRunning: { channel in
                portContinuation.yield(channel.localAddress?.port ?? 0)
                portContinuation.finish()
            },
            logger: logger
        )
        return try await withThrowingTaskGroup(of: T?.self) { group in
            group.addTask {
                try await app.runService(gracefulShutdownSignals: [])
                return nil
            }
            var iterator = ports.makeAsyncIterator()
            guard let port = await iterator.next(), port > 0 else { throw TestFailure("server did not start") }
            let result = try await body(server, port)
            group.cancelAll()
            return result
        }
    }
}

/// A test precondition that did not hold.
struct TestFailure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// Runs `body`, failing if it takes longer than `seconds` (so a broken client fails instead of hanging the suite).
func withDeadline<T: Sendable>(
    seconds: Double = 20, _ body: @escaping @Sendable () async throws -> T
) async throws -> T {
    try await withThrowingTaskGroup(of: T?.self) { group in
        group.addTask { try await body() }
        group.addTask {
            try await Task.sleep(for: .seconds(seconds))
            return nil
        }
        guard let first = try await group.next(), let value = first else {
            group.cancelAll()
            throw TestFailure("deadline of \(seconds) s passed")
        }
        group.cancelAll()
        return value
    }
}

/// Polls `condition` every 10 ms until it holds or `seconds` pass.
func eventually(seconds: Double = 10, _ condition: @Sendable () -> Bool) async throws -> Bool {
    let clock = ContinuousClock()
    let deadline = clock.now + .seconds(seconds)
    while clock.now < deadline {
        if condition() { return true }
        try await Task.sleep(for: .milliseconds(10))
    }
    return condition()
}
