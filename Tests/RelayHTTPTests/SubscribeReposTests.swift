import ATData
import AsyncHTTPClient
import EventLog
@testable import Firehose
import Foundation
import NIOCore
import NIOHTTP1
@testable import RelayHTTP
import Testing

/// subscribeRepos over real WebSockets on 127.0.0.1 against a real LMDB log (design §2, §4, §5, §6).
@Suite(.serialized) struct SubscribeReposTests {
    static let dids = (0..<64).map { "did:plc:\(String(repeating: "a", count: 20))\(String(format: "%04d", $0))" }

    /// Appends `count` #identity events round-robin over `dids`; returns their seqs.
    @discardableResult
    static func append(_ log: EventLog, count: Int, startingDID: Int = 0) throws -> [UInt64] {
        try log.write { txn in
            try (0..<count).map { index in
                let did = dids[(startingDID + index) % dids.count]
                return try txn.append(kind: .identity, did: did) { seq in
                    FrameEncoder.encode(IdentityMessage(seq: Int64(seq), did: did, time: "2026-11-25T00:00:00.000Z"))
                }
            }
        }
    }

    static func seqs(_ messages: [[UInt8]]) -> [UInt64] {
        messages.compactMap { (try? FrameDecoder.decode($0))?.seq.map(UInt64.init) }
    }

    @Test func cursorCases() async throws {
        let relay = try await RelayTestServer.start()
        defer { Task { await relay.stop() } }
        let first = try Self.append(relay.log, count: 20)
        // cursor = 0: everything retained.
        let all = try await FirehoseTestClient.collect(relay.wsURL + "?cursor=0") { $0.count >= 20 }
        #expect(Self.seqs(all.messages) == first)
        // cursor = C: everything after C.
        let after = try await FirehoseTestClient.collect(relay.wsURL + "?cursor=\(first[9])") { $0.count >= 10 }
        #expect(Self.seqs(after.messages) == Array(first[10...]))
        // cursor = head: nothing until new events, then exactly those.
        let log = relay.log
        let live = try await FirehoseTestClient.collect(relay.wsURL + "?cursor=\(first[19])", onConnected: {
            _ = try? Self.append(log, count: 3)
        }) { $0.count >= 3 }
        #expect(Self.seqs(live.messages) == [first[19] + 1, first[19] + 2, first[19] + 3])
        // No cursor: live only.
        let liveOnly = try await FirehoseTestClient.collect(relay.wsURL, onConnected: {
            try? await Task.sleep(for: .milliseconds(200))
            _ = try? Self.append(log, count: 2)
        }) { $0.count >= 2 }
        #expect(Self.seqs(liveOnly.messages) == [first[19] + 4, first[19] + 5])
        // Cursor in the future: FutureCursor error frame, then close.
        let future = try await FirehoseTestClient.collect(relay.wsURL + "?cursor=\(first[19] + 1000)") { _ in false }
        #expect(future.messages.count == 1)
        let futureFrame = try #require(future.messages.first, "no FutureCursor frame")
        #expect(try FrameDecoder.decode(futureFrame) == .error(ErrorMessage(
            error: "FutureCursor", message: "cursor \(first[19] + 1000) is ahead of the stream head \(first[19] + 5)")))
        // A cursor from an epoch this log never held: OutdatedCursor, then everything.
        let outdated = try await FirehoseTestClient.collect(relay.wsURL + "?cursor=5") { $0.count >= 26 }
        let outdatedFirst = try #require(outdated.messages.first, "no frames after an outdated cursor")
        guard case .info(let info) = try FrameDecoder.decode(outdatedFirst) else {
            Issue.record("first frame is not #info")
            return
        }
        #expect(info.name == "OutdatedCursor")
        #expect(info.message?.contains("epoch 0") == true)
        #expect(Self.seqs(Array(outdated.messages.dropFirst())).count == 25)
    }

    @Test func replayAcrossAnEpochBump() async throws {
        let relay = try await RelayTestServer.start()
        defer { Task { await relay.stop() } }
        let before = try Self.append(relay.log, count: 10)
        let newEpoch = try relay.log.bumpEpoch()
        let after = try Self.append(relay.log, count: 10)
        #expect(after[0] == Seq.make(epoch: newEpoch, counter: 1))
        let result = try await FirehoseTestClient.collect(relay.wsURL + "?cursor=\(before[4])") { $0.count >= 15 }
        #expect(Self.seqs(result.messages) == Array(before[5...]) + after)
    }

    @Test func replayThenLiveWhileWritingAt5000PerSecond() async throws {
        let relay = try await RelayTestServer.start()
        defer { Task { await relay.stop() } }
        try Self.append(relay.log, count: 2_000)
        let log = relay.log
        let total = 12_000
        // The writer runs during replay and after: 50 events every 10 ms (5,000/s).
        let writer = Task {
            var written = 2_000
            let clock = ContinuousClock()
            var next = clock.now
            while written < total {
                _ = try Self.append(log, count: 50, startingDID: written)
                written += 50
                next = next.advanced(by: .milliseconds(10))
                try await Task.sleep(until: next)
            }
        }
        let result = try await FirehoseTestClient.collect(relay.wsURL + "?cursor=0", timeout: .seconds(60)) {
            $0.count >= total
        }
        try await writer.value
        let seqs = Self.seqs(result.messages)
        #expect(seqs.count == total)
        let expected = try log.read { txn in try txn.events(after: 0, limit: total).map(\.seq) }
        #expect(seqs == expected, "replay→live must be gapless and in order")
    }

    @Test func shardsPartitionTheStreamAndNest() async throws {
        let relay = try await RelayTestServer.start()
        defer { Task { await relay.stop() } }
        let all = try Self.append(relay.log, count: 400)
        var byShard: [[UInt64]] = []
        for index in 0..<4 {
            let count = try relay.log.read { txn in
                try txn.events(after: 0, limit: 1_000, shard: ShardFilter(index: index, count: 4)).count
            }
            let result = try await FirehoseTestClient.collect(relay.wsURL + "?cursor=0&shards=4&shard=\(index)") {
                $0.count >= count
            }
            let seqs = Self.seqs(result.messages)
            // Each event's DID hashes into this shard.
            for message in result.messages {
                let did = try #require(try FrameDecoder.decode(message).did)
                #expect(ShardHash.of(did: did) >> 62 == UInt64(index))
            }
            byShard.append(seqs)
        }
        #expect(Set(byShard.flatMap { $0 }).count == 400)
        #expect(byShard.flatMap { $0 }.count == 400)  // disjoint
        #expect(byShard.flatMap { $0 }.sorted() == all)
        // Shard 1 of 2 is shards 2 and 3 of 4.
        let upperHalf = (byShard[2] + byShard[3]).sorted()
        let half = try await FirehoseTestClient.collect(relay.wsURL + "?cursor=0&shards=2&shard=1") {
            $0.count >= upperHalf.count
        }
        #expect(Self.seqs(half.messages) == upperHalf)
    }

    @Test func compressedSubscribersGetIdenticalFramesProducedOnce() async throws {
        let relay = try await RelayTestServer.start()
        defer { Task { await relay.stop() } }
        try Self.append(relay.log, count: 300)
        let stored = try relay.log.read { txn in try txn.events(after: 0, limit: 300).map(\.frame) }
        var results: [FirehoseTestClient.Result] = []
        for _ in 0..<3 {
            results.append(try await FirehoseTestClient.collect(relay.wsURL + "?cursor=0", compressed: true) {
                $0.count >= 300
            })
        }
        for result in results { #expect(result.messages == stored) }
        let cache = relay.server.subscribers.cache
        #expect(cache.producedCount(FrameVariant(stripped: false, compressed: true)) == 300)
        #expect(cache.producedCount(FrameVariant(stripped: false, compressed: false)) == 0)
    }

    @Test func malformedParametersGet400BeforeUpgrade() async throws {
        let relay = try await RelayTestServer.start()
        defer { Task { await relay.stop() } }
        let client = HTTPClient(eventLoopGroupProvider: .singleton)
        defer { Task { try? await client.shutdown() } }
        for query in ["cursor=abc", "cursor=-1", "shards=3&shard=0", "shards=4", "shard=1", "shards=4&shard=4",
                      "stripProofs=yes", "cursor=1&cursor=2", "shards=512&shard=0"]
        {
            // With WebSocket upgrade headers the upgrade is declined with 400 (hummingbird-websocket answers a
            // declined upgrade with an empty 400 and closes); a plain GET gets the XRPC error JSON.
            var upgrade = HTTPClientRequest(url: relay.baseURL + "/xrpc/com.atproto.sync.subscribeRepos?" + query)
            upgrade.headers.add(name: "Connection", value: "Upgrade")
            upgrade.headers.add(name: "Upgrade", value: "websocket")
            upgrade.headers.add(name: "Sec-WebSocket-Version", value: "13")
            upgrade.headers.add(name: "Sec-WebSocket-Key", value: "dGhlIHNhbXBsZSBub25jZQ==")
            // A fresh client per attempt: an upgrade on a reused keep-alive connection is redirected instead.
            let upgradeClient = HTTPClient(eventLoopGroupProvider: .singleton)
            let declined = try await upgradeClient.execute(upgrade, timeout: .seconds(10))
            try await upgradeClient.shutdown()
            #expect(declined.status == .badRequest, "\(query)")
            let plain = HTTPClientRequest(url: relay.baseURL + "/xrpc/com.atproto.sync.subscribeRepos?" + query)
            let response = try await client.execute(plain, timeout: .seconds(10))
            #expect(response.status == .badRequest, "\(query)")
            let body = try await response.body.collect(upTo: 1 << 16)
            let json = try JSONSerialization.jsonObject(with: Data(buffer: body)) as? [String: String]
            #expect(json?["error"] == "InvalidRequest", "\(query)")
        }
        // Valid parameters without an upgrade: 426.
        let valid = try await client.execute(
            HTTPClientRequest(url: relay.baseURL + "/xrpc/com.atproto.sync.subscribeRepos?cursor=0"),
            timeout: .seconds(10))
        #expect(valid.status == .upgradeRequired)
    }

    @Test func perAddressCapRefusesExtraConnections() async throws {
        let relay = try await RelayTestServer.start(maxPerAddress: 2)
        defer { Task { await relay.stop() } }
        try Self.append(relay.log, count: 1)
        let url = relay.wsURL
        // Two subscribers hold their slots (waiting for live events that never come).
        let holders = (0..<2).map { _ in
            Task { try await FirehoseTestClient.collect(url, timeout: .seconds(5)) { _ in false } }
        }
        var attempts = 0
        while relay.server.limiter.count("127.0.0.1") < 2, attempts < 100 {
            try await Task.sleep(for: .milliseconds(50))
            attempts += 1
        }
        #expect(relay.server.limiter.count("127.0.0.1") == 2)
        await #expect(throws: (any Error).self) {
            _ = try await FirehoseTestClient.collect(url, timeout: .seconds(5)) { _ in false }
        }
        for holder in holders { holder.cancel() }
    }

    @Test func healthReportsEpochAndSeqs() async throws {
        let relay = try await RelayTestServer.start()
        defer { Task { await relay.stop() } }
        let seqs = try Self.append(relay.log, count: 5)
        let client = HTTPClient(eventLoopGroupProvider: .singleton)
        defer { Task { try? await client.shutdown() } }
        let response = try await client.execute(HTTPClientRequest(url: relay.baseURL + "/xrpc/_health"),
                                                timeout: .seconds(10))
        let body = try await response.body.collect(upTo: 1 << 16)
        let json = try #require(try JSONSerialization.jsonObject(with: Data(buffer: body)) as? [String: Any])
        #expect(json["status"] as? String == "ok")
        #expect((json["epoch"] as? NSNumber)?.uint64Value == 1000)
        #expect((json["headSeq"] as? NSNumber)?.uint64Value == seqs.last)
        #expect((json["oldestSeq"] as? NSNumber)?.uint64Value == seqs.first)
    }
}
