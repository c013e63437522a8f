import EventLog
import Hummingbird
import HummingbirdWebSocket
import Logging
import NIOCore
import ServiceLifecycle

/// The relay's public service on one port: `subscribeRepos`, the `com.atproto.sync` queries, `_health`.
public struct RelayServer: Sendable {
    /// Settings.
    public let configuration: RelayServerConfiguration
    /// The firehose service.
    public let subscribers: SubscribeReposService
    /// Per-address cap.
    public let limiter: ConnectionLimiter
    /// Extra routes (XRPC queries, admin), registered by the layers that own them.
    public let extraRoutes: @Sendable (Router<RelayRequestContext>) -> Void
    let logger: Logger

    /// Creates the server.
    public init(configuration: RelayServerConfiguration, log: EventLog, logger: Logger,
                metrics: ServeMetrics = ServeMetrics(), registry: SubscriberRegistry = SubscriberRegistry(),
                extraRoutes: @escaping @Sendable (Router<RelayRequestContext>) -> Void = { _ in })
    {
        self.configuration = configuration
        var subscribers = SubscribeReposService(log: log, registry: registry, metrics: metrics, logger: logger)
        subscribers.stallCheckInterval = configuration.stallCheckInterval
        subscribers.closeGracePeriod = configuration.closeGracePeriod
        self.subscribers = subscribers
        self.limiter = ConnectionLimiter(maxPerAddress: configuration.maxSubscribersPerAddress)
        self.extraRoutes = extraRoutes
        self.logger = logger
    }

    /// The Hummingbird application; `onListening` receives the bound port (useful with port 0).
    public func application(onListening: @escaping @Sendable (Int) async -> Void = { _ in })
        -> some ApplicationProtocol
    {
        let router = Router(context: RelayRequestContext.self)
        let wsRouter = Router(context: RelayRequestContext.self)
        HealthRoute.register(on: router, log: subscribers.log, version: configuration.version)
        SubscribeReposRoute.register(http: router, webSocket: wsRouter, service: subscribers, limiter: limiter)
        extraRoutes(router)
        return Application(
            router: router,
            server: .http1WebSocketUpgrade(
                webSocketRouter: wsRouter,
                configuration: .init(ws: .init(
                    maxFrameSize: 1 << 16, extensions: [.sharedDeflate()],
                    autoPing: .enabled(timePeriod: configuration.pingInterval)))),
            configuration: .init(address: .hostname(configuration.host, port: configuration.port),
                                 serverName: "atproto-relay (tributary)"),
            onServerRunning: { channel in await onListening(channel.localAddress?.port ?? 0) },
            logger: logger)
    }
}
