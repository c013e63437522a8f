import Hummingbird
import HummingbirdWebSocket
import Logging
import NIOCore

/// The loopback ceiling: a minimal Hummingbird WebSocket server that writes pre-serialized frames from memory as
/// fast as the socket takes them (same server stack and frame-size setting as the relay, no log, no cache).
struct BenchCeilingServer {
    let frames: [ByteBuffer]

    /// Runs until the task is cancelled; `onListening` receives the port.
    func run(onListening: @escaping @Sendable (Int) async -> Void) async throws {
        let frames = self.frames
        let router = Router(context: BasicWebSocketRequestContext.self)
        router.ws("/frames") { _, outbound, _ in
            for frame in frames { try await outbound.write(.binary(frame)) }
        }
        var logger = Logger(label: "bench-ceiling")
        logger.logLevel = .error
        let app = Application(
            router: Router(context: BasicWebSocketRequestContext.self),
            server: .http1WebSocketUpgrade(webSocketRouter: router, configuration: .init(ws: .init(maxFrameSize: 1 << 16, autoPing: .disabled))),
            configuration: .init(address: .hostname("127.0.0.1", port: 0)),
            onServerRunning: { channel in await onListening(channel.localAddress?.port ?? 0) },
            logger: logger)
        try await app.runService()
    }
}
