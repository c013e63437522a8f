import Relay
import Simulator
import Testing

/// Hostile hosts at the connection level (issue 10, point 2), served by `RawWebSocketHost` next to a well-behaved
/// simulated host: slowloris before and after the upgrade, and WebSocket messages the client refuses.
@Suite("Ingest: hostile connections", .serialized)
struct HostileConnectionTests {
    /// Runs a relay crawling one simulated host and `raw`, with a 1-second upstream idle timeout.
    static func withRawHost(
        _ raw: RawWebSocketHost, label: String = #function,
        _ body: (IngestHarness, SimulatedAccount) async throws -> Void
    ) async throws {
        defer { raw.stop() }
        try await IngestHarness.with(label: label, configure: { configuration in
            configuration.crawl.append(raw.hostname)
            configuration.upstreamIdleTimeout = .seconds(1)
        }) { harness in
            let good = try await harness.account()
            try await body(harness, good)
            try await harness.post(good.did)
        }
    }

    /// Waits until `raw` accepted `count` connections, posting on the good host meanwhile (it must keep flowing).
    static func expectReconnects(_ raw: RawWebSocketHost, count: Int, harness: IngestHarness, good: SimulatedAccount)
        async throws
    {
        let clock = ContinuousClock()
        let deadline = clock.now + .seconds(60)
        while raw.connections < count, clock.now < deadline {
            try await harness.post(good.did)
            try await Task.sleep(for: .milliseconds(200))
        }
        #expect(raw.connections >= count, "the relay did not reopen the stalled host's connection")
    }

    @Test("a host that never answers the WebSocket upgrade is given up on after the idle timeout and retried")
    func stallBeforeUpgrade() async throws {
        let raw = try RawWebSocketHost { _ in .neverUpgrade }
        try await Self.withRawHost(raw) { harness, good in
            try await Self.expectReconnects(raw, count: 3, harness: harness, good: good)
        }
        // The harness stopped: a relay shutting down does not wait on a pending upgrade either.
    }

    @Test("a host that stalls inside a frame (slowloris) is dropped after the idle timeout and retried")
    func stallInsideFrame() async throws {
        // A binary frame announcing 4,096 bytes, of which 10 arrive.
        let partial = RawWebSocketHost.frameHeader(opcode: 0x2, length: 4096) + [UInt8](repeating: 0xA1, count: 10)
        let raw = try RawWebSocketHost { _ in .upgradeAndStall(partial) }
        try await Self.withRawHost(raw) { harness, good in
            try await Self.expectReconnects(raw, count: 3, harness: harness, good: good)
            let host = try await harness.relay.listHosts().first { $0.hostname == raw.hostname }
            #expect(host?.cursor == 0)
        }
    }

    @Test("text, non-UTF-8 text and over-long frames are counted as undecodable and the connection is reopened")
    func refusedMessages() async throws {
        let text = RawWebSocketHost.frame(opcode: 0x1, Array("{\"hello\":\"json\"}".utf8))
        let invalidText = RawWebSocketHost.frame(opcode: 0x1, [0xC3, 0x28, 0xFF])
        // A single frame announcing more than the client's message limit (only the header is sent).
        let tooLong = RawWebSocketHost.frameHeader(opcode: 0x2, length: 64 << 20)
        let scripts: [[UInt8]] = [text, invalidText, tooLong]
        let raw = try RawWebSocketHost { index in .upgradeAndStall(scripts[index % scripts.count]) }
        try await Self.withRawHost(raw) { harness, good in
            try await harness.waitForDrop("undecodable_frame", count: 3)
            try await Self.expectReconnects(raw, count: 4, harness: harness, good: good)
            #expect(harness.relay.statistics.snapshot.emitted > 0)
        }
    }
}
