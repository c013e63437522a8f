import AsyncHTTPClient
import CoreMetrics
import Foundation
import Hummingbird
import Logging
import Testing
@testable import RelayHTTP
import ServiceLifecycle

/// The Prometheus endpoint over real HTTP, fed through swift-metrics.
@Suite struct MetricsServerTests {
    @Test func bootstrapIsOncePerProcess() {
        let first = MetricsServer.bootstrap()
        let second = MetricsServer.bootstrap()
        #expect(first === second)
    }

    @Test func metricsEndpointServesRecordedCounters() async throws {
        let registry = MetricsServer.bootstrap()
        // A label unique to this test, so parallel tests cannot disturb the value.
        let label = "tributary_test_probe_\(UInt32.random(in: 0...UInt32.max))_total"
        let counter = Counter(label: label, dimensions: [("kind", "probe")])
        counter.increment(by: 3)
        counter.increment()

        var logger = Logger(label: "metrics-test")
        logger.logLevel = .warning
        let server = MetricsServer(host: "127.0.0.1", port: 0, registry: registry)
        let (stream, continuation) = AsyncStream.makeStream(of: Int.self)
        let app = server.application(logger: logger) { port in continuation.yield(port) }
        let group = ServiceGroup(services: [app], logger: logger)
        let task = Task { try await group.run() }
        defer { task.cancel() }
        var iterator = stream.makeAsyncIterator()
        let port = try #require(await iterator.next())

        let response = try await HTTPClient.shared.execute(
            HTTPClientRequest(url: "http://127.0.0.1:\(port)/metrics"), timeout: .seconds(10))
        #expect(response.status.code == 200)
        #expect(response.headers.first(name: "content-type") == MetricsServer.contentType)
        let body = String(buffer: try await response.body.collect(upTo: 1 << 22))
        #expect(body.contains("# TYPE \(label) counter"))
        #expect(body.split(separator: "\n").contains("\(label){kind=\"probe\"} 4"))

        let missing = try await HTTPClient.shared.execute(
            HTTPClientRequest(url: "http://127.0.0.1:\(port)/nothing"), timeout: .seconds(10))
        #expect(missing.status.code == 404)
        await group.triggerGracefulShutdown()
        _ = try? await task.value
    }
}
