import Firehose
import Hummingbird
import HummingbirdWebSocket
import Logging
import Synchronization

/// One simulated PDS on 127.0.0.1: its own port, event history and `subscribeRepos` stream. Accounts and writes
/// are driven through `SimulatedNetwork`; the host-level operations (sequence reset, raw frames) live here.
public final class SimulatedHost: Sendable {
    /// Position in the network's host list.
    public let index: Int
    /// Listen address.
    public let address: String
    /// Bound port.
    public let port: Int
    /// The host's events.
    public let sequencer: EventSequencer
    private let server: Mutex<LoopbackServer?>

    private init(index: Int, address: String, port: Int, sequencer: EventSequencer, server: LoopbackServer) {
        self.index = index
        self.address = address
        self.port = port
        self.sequencer = sequencer
        self.server = Mutex(server)
    }

    /// `127.0.0.1:<port>`: the name a relay crawls (`requestCrawl`, `--crawl`).
    public var hostname: String { "\(address):\(port)" }
    /// `http://127.0.0.1:<port>`: the `#atproto_pds` endpoint in DID documents.
    public var url: String { "http://\(hostname)" }
    /// `ws://127.0.0.1:<port>`: the base URL for `FirehoseSubscription`.
    public var webSocketURL: String { "ws://\(hostname)" }
    /// The host's service DID (for `describeServer`).
    public var serviceDID: String { "did:web:localhost%3A\(port)" }
    /// The last seq emitted.
    public var headSeq: Int64 { sequencer.headSeq }

    /// Starts a host on `address:port` (0 = ephemeral).
    static func start(index: Int, address: String, port: Int, historyLimit: Int, data: HostDataSourceSlot,
                      logger: Logger) async throws(SimulatorError) -> SimulatedHost
    {
        let sequencer = EventSequencer(historyLimit: historyLimit)
        let server = try await LoopbackServer.start(logger: logger) { onRunning in
            let router = Router(context: SimRequestContext.self)
            let wsRouter = Router(context: SimRequestContext.self)
            HostRoutes.register(http: router, webSocket: wsRouter, host: index, sequencer: sequencer, data: data)
            return Application(
                router: router,
                server: .http1WebSocketUpgrade(
                    webSocketRouter: wsRouter,
                    configuration: .init(ws: .init(maxFrameSize: 1 << 16, autoPing: .disabled))),
                configuration: .init(address: .hostname(address, port: port), serverName: "sim-pds"),
                onServerRunning: { channel in await onRunning(channel.localAddress?.port ?? 0) },
                logger: logger)
        }
        return SimulatedHost(index: index, address: address, port: server.port, sequencer: sequencer, server: server)
    }

    /// Forgets the host's history and restarts seq at 1, closing open subscriptions (a rebuilt PDS): a relay that
    /// reconnects with its old cursor then gets `FutureCursor`.
    public func resetSequence() {
        sequencer.reset()
    }

    /// Sends hand-made frame bytes to the subscribers connected now; no seq is used and nothing is kept for replay.
    public func emitRaw(_ bytes: [UInt8]) {
        sequencer.appendLiveOnly(bytes)
    }

    /// Appends a hand-made frame that takes the next seq (`encode` receives it) and is kept for replay.
    @discardableResult
    public func emitRaw(encoding encode: (Int64) -> [UInt8]) -> Int64 {
        sequencer.append(encode).seq
    }

    /// Stops the server after ending every subscription.
    func stop() async {
        sequencer.close()
        let server = self.server.withLock { server in
            defer { server = nil }
            return server
        }
        await server?.stop()
    }
}
