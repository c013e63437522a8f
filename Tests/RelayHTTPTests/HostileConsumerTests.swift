import EventLog
@testable import Firehose
import Foundation
import HummingbirdWSClient
@testable import RelayHTTP
import Testing

/// Hostile consumers (issue 10, point 3): a flood of connections from one address, a consumer that never reads,
/// one that hangs up mid-frame, invalid parameters and oversized requests. The server keeps serving the others.
@Suite(.serialized) struct HostileConsumerTests {
    /// Appends `count` `#sync` events with `payload`-byte blocks.
    static func appendLarge(_ log: EventLog, count: Int, payload: Int) throws {
        let did = "did:plc:hostileconsumeraaaaaaaa"
        let blocks = [UInt8](repeating: 0x5A, count: payload)
        try log.write { txn in
            for _ in 0..<count {
                try txn.append(kind: .sync, did: did) { seq in
                    FrameEncoder.encode(SyncMessage(seq: Int64(seq), did: did, blocks: blocks, rev: "3kaaaaaaaaaa2",
                                                    time: "2026-11-25T00:00:00.000Z"))
                }
            }
        }
    }

    /// `GET /xrpc/_health` answers 200.
    static func healthy(_ relay: RelayTestServer) async -> Bool {
        let reply = await RawHTTPClient.exchange(
            port: relay.port, Array("GET /xrpc/_health HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n".utf8))
        return reply.flatMap(RawHTTPClient.status) == 200
    }

    @Test func twoThousandConnectionsFromOneAddressAreRefusedWhileHoldersKeepReceiving() async throws {
        let cap = 4
        let relay = try await RelayTestServer.start(maxPerAddress: cap)
        defer { Task { await relay.stop() } }
        let url = relay.wsURL
        let holders = (0..<cap).map { _ in
            Task { try await FirehoseTestClient.collect(url, timeout: .seconds(60)) { $0.count >= 10 } }
        }
        var polls = 0
        while relay.server.limiter.count("127.0.0.1") < cap, polls < 400 {
            try await Task.sleep(for: .milliseconds(50))
            polls += 1
        }
        #expect(relay.server.limiter.count("127.0.0.1") == cap)
        // 2,000 more attempts, eight at a time: every one is refused before the upgrade.
        let attempts = 2_000
        let request = RawHTTPClient.upgradeRequest("/xrpc/com.atproto.sync.subscribeRepos")
        var statuses: [Int: Int] = [:]
        for _ in 0..<(attempts / 8) {
            let replies = await withTaskGroup(of: Int.self) { group in
                for _ in 0..<8 {
                    group.addTask { await RawHTTPClient.exchange(port: relay.port, request).flatMap(RawHTTPClient.status) ?? 0 }
                }
                return await group.reduce(into: [Int]()) { $0.append($1) }
            }
            for status in replies { statuses[status, default: 0] += 1 }
        }
        #expect(statuses == [400: attempts], "declined upgrades answer 400: \(statuses)")
        #expect(relay.server.limiter.count("127.0.0.1") == cap)
        // The holders still receive live events.
        try SubscribeReposTests.append(relay.log, count: 10)
        for holder in holders {
            let result = try await holder.value
            #expect(result.messages.count == 10)
        }
        // Their slots are free again: a new consumer gets in.
        polls = 0
        while relay.server.limiter.count("127.0.0.1") > 0, polls < 400 {
            try await Task.sleep(for: .milliseconds(50))
            polls += 1
        }
        #expect(relay.server.limiter.count("127.0.0.1") == 0)
        let late = try await FirehoseTestClient.collect(url + "?cursor=0") { $0.count >= 10 }
        #expect(late.messages.count == 10)
    }

    @Test func consumerThatNeverReadsIsNotBufferedFor() async throws {
        let relay = try await RelayTestServer.start()
        defer { Task { await relay.stop() } }
        let url = relay.wsURL
        let stalled = Task {
            try await WebSocketClient.connect(
                url: url + "?cursor=0", configuration: .init(maxFrameSize: 1 << 23), logger: FirehoseTestClient.logger
            ) { _, _, _ in
                try await Task.sleep(for: .seconds(120))
            }
        }
        defer { stalled.cancel() }
        var polls = 0
        while relay.server.subscribers.registry.all.isEmpty, polls < 400 {
            try await Task.sleep(for: .milliseconds(50))
            polls += 1
        }
        // 3,000 frames of 32 KB (96 MB), far beyond what socket buffers hold.
        for _ in 0..<30 { try Self.appendLarge(relay.log, count: 100, payload: 32_000) }
        let fast = try await FirehoseTestClient.collect(url + "?cursor=0", timeout: .seconds(90)) { $0.count >= 3_000 }
        #expect(fast.messages.count == 3_000)
        // The relay reads the log for a subscriber only as its socket takes frames (one write in flight): the
        // stalled one's position is far behind the head, so nothing was queued in memory for it.
        let head = relay.log.headSeq
        let positions = relay.server.subscribers.registry.all.map(\.position)
        let stalledPosition = try #require(positions.min())
        #expect(head - stalledPosition > 2_000, "stalled subscriber read \(stalledPosition) of head \(head)")
    }

    @Test func consumerHangingUpMidFrameDoesNotDisturbOthers() async throws {
        let relay = try await RelayTestServer.start()
        defer { Task { await relay.stop() } }
        try Self.appendLarge(relay.log, count: 200, payload: 64_000)
        let port = relay.port
        let request = RawHTTPClient.upgradeRequest("/xrpc/com.atproto.sync.subscribeRepos?cursor=0")
        // Ten consumers that upgrade, read part of the first 64 KB frame, and close the socket.
        for _ in 0..<10 {
            let reply = await RawHTTPClient.exchange(port: port, request, limit: 1 << 20) { bytes in
                guard let head = RawHTTPClient.headLength(bytes) else { return false }
                return bytes.count >= head + 10_000
            }
            #expect(reply.flatMap(RawHTTPClient.status) == 101)
        }
        let whole = try await FirehoseTestClient.collect(relay.wsURL + "?cursor=0") { $0.count >= 200 }
        #expect(whole.messages.count == 200)
        var polls = 0
        while !relay.server.subscribers.registry.all.isEmpty, polls < 400 {
            try await Task.sleep(for: .milliseconds(50))
            polls += 1
        }
        #expect(relay.server.subscribers.registry.all.isEmpty)
        #expect(relay.server.limiter.count("127.0.0.1") == 0)
        #expect(await Self.healthy(relay))
    }

    @Test func invalidParametersAndOversizedRequestsAreRefusedCleanly() async throws {
        let relay = try await RelayTestServer.start()
        defer { Task { await relay.stop() } }
        let port = relay.port
        let path = "/xrpc/com.atproto.sync.subscribeRepos"
        for query in ["cursor=99999999999999999999999", "cursor=1e3", "cursor=%00", "cursor=", "shards=-1&shard=0",
                      "shards=0&shard=0", "shards=4&shard=99999999999999999999", "stripProofs=TRUE&stripProofs=true"]
        {
            let reply = await RawHTTPClient.exchange(port: port, RawHTTPClient.upgradeRequest(path + "?" + query))
            #expect(reply.flatMap(RawHTTPClient.status) == 400, "\(query)")
        }
        // A 64 KiB query or header is within the HTTP parser's limits and served (unknown parameters are ignored);
        // a 1 MiB header or URL gets a 4xx or a closed connection. Never a crash; the server keeps serving.
        let longQuery = path + "?cursor=0&x=" + String(repeating: "a", count: 64 * 1024)
        let bigHeader = "X-Filler: " + String(repeating: "b", count: 64 * 1024) + "\r\n"
        let hugeHeader = "X-Filler: " + String(repeating: "c", count: 1 << 20) + "\r\n"
        let requests: [(request: [UInt8], servable: Bool)] = [
            (RawHTTPClient.upgradeRequest(longQuery), true),
            (RawHTTPClient.upgradeRequest(path, extraHeaders: bigHeader), true),
            (RawHTTPClient.upgradeRequest(path, extraHeaders: hugeHeader), false),
            (Array("GET /xrpc/_health?\(String(repeating: "q", count: 1 << 20)) HTTP/1.1\r\nHost: x\r\n\r\n".utf8), false),
        ]
        for (index, (request, servable)) in requests.enumerated() {
            let reply = await RawHTTPClient.exchange(port: port, request)
            let status = reply.flatMap(RawHTTPClient.status)
            let refused = status == nil || (400..<500).contains(status ?? 0)
            #expect(refused || (servable && status == 101), "request \(index): status \(String(describing: status))")
            #expect(await Self.healthy(relay), "request \(index)")
        }
        var polls = 0
        while !relay.server.subscribers.registry.all.isEmpty, polls < 400 {
            try await Task.sleep(for: .milliseconds(50))
            polls += 1
        }
        #expect(relay.server.subscribers.registry.all.isEmpty)
    }
}
