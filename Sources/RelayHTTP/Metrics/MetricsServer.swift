import CoreMetrics
import Hummingbird
import Logging
import Prometheus
import Synchronization

/// The Prometheus endpoint on its own address (`--metrics-listen`, default 127.0.0.1:2471): `GET /metrics`.
///
/// Metrics are recorded anywhere through swift-metrics; ``bootstrap()`` points swift-metrics at one
/// `PrometheusCollectorRegistry`, which this server renders in the Prometheus text format.
public struct MetricsServer: Sendable {
    /// Address to listen on.
    public var host: String
    /// Port (0 picks a free one; see ``application(logger:onListening:)``).
    public var port: Int
    /// The registry rendered on `/metrics`.
    public let registry: PrometheusCollectorRegistry

    /// Creates the server; pass the registry ``bootstrap()`` returned.
    public init(host: String = "127.0.0.1", port: Int = 2471, registry: PrometheusCollectorRegistry) {
        self.host = host
        self.port = port
        self.registry = registry
    }

    /// The Prometheus text exposition content type.
    public static let contentType = "text/plain; version=0.0.4; charset=utf-8"

    /// The Hummingbird application; `onListening` receives the bound port (useful with port 0).
    public func application(logger: Logger, onListening: @escaping @Sendable (Int) async -> Void = { _ in })
        -> some ApplicationProtocol
    {
        let router = Router()
        let registry = registry
        router.get("/metrics") { _, _ -> Response in
            var bytes: [UInt8] = []
            bytes.reserveCapacity(16_384)
            registry.emit(into: &bytes)
            return Response(status: .ok, headers: [.contentType: Self.contentType],
                            body: .init(byteBuffer: ByteBuffer(bytes: bytes)))
        }
        return Application(
            router: router,
            configuration: .init(address: .hostname(host, port: port), serverName: "tributary-metrics"),
            onServerRunning: { channel in await onListening(channel.localAddress?.port ?? 0) },
            logger: logger)
    }

    private static let bootstrapped = Mutex<PrometheusCollectorRegistry?>(nil)

    /// Bootstraps swift-metrics with a Prometheus factory once per process and returns its registry; later calls
    /// return the same registry (swift-metrics itself traps on a second bootstrap).
    ///
    /// Call it before creating metric objects: ones created earlier stay bound to the no-op backend.
    public static func bootstrap() -> PrometheusCollectorRegistry {
        bootstrapped.withLock { registry in
            if let registry { return registry }
            let created = PrometheusCollectorRegistry()
            MetricsSystem.bootstrap(PrometheusMetricsFactory(registry: created))
            registry = created
            return created
        }
    }
}
