import ATCrypto
import ATData
import ATRepo
import EventLog
@testable import Firehose
import Foundation
import HummingbirdWSClient
import NIOCore
@testable import RelayHTTP
import Testing

/// Proof stripping end to end, and subscribers that stall or fall out of retention.
@Suite(.serialized) struct StrippedAndSlowSubscriberTests {
    @Test func strippedCommitsDecodeAndStillVerify() async throws {
        let relay = try await RelayTestServer.start()
        defer { Task { await relay.stop() } }
        let key = PrivateKey.generate(curve: .k256)
        let did = "did:plc:strippedproofsaaaaaaaaa"
        let writer = RepoWriter(did: did) { (try? key.sign(message: $0)) ?? [] }
        let clock = TIDClock()
        let record = { (index: Int) in DAGCBOR.encode(["$type": "app.bsky.feed.post", "text": .string("p\(index)")]) }
        _ = try writer.apply((0..<1_000).map { .create(path: "app.bsky.feed.post/a\($0)", record: record($0)) },
                             rev: clock.next().string)
        var products: [RepoCommitProduct] = []
        for index in 0..<20 {
            products.append(try writer.apply(
                [.create(path: "app.bsky.feed.post/b\(index)", record: record(10_000 + index)),
                 .update(path: "app.bsky.feed.post/a\(index)", record: record(20_000 + index))],
                rev: clock.next().string))
        }
        try relay.log.write { txn in
            for product in products {
                try txn.append(kind: .commit, did: did) { seq in
                    FrameEncoder.encode(CommitMessage(
                        seq: Int64(seq), repo: did, commit: product.commitCID, rev: product.commit.rev,
                        since: product.since, blocks: product.blocks, ops: product.ops, prevData: product.prevData,
                        time: "2026-11-25T00:00:00.000Z"))
                }
            }
        }
        let full = try await FirehoseTestClient.collect(relay.wsURL + "?cursor=0") { $0.count >= 20 }
        let stripped = try await FirehoseTestClient.collect(relay.wsURL + "?cursor=0&stripProofs=true") {
            $0.count >= 20
        }
        #expect(stripped.messages.count == 20)
        var fullBytes = 0
        var strippedBytes = 0
        for (fullFrame, strippedFrame) in zip(full.messages, stripped.messages) {
            guard case .commit(let original) = try FrameDecoder.decode(fullFrame),
                case .commit(let message) = try FrameDecoder.decode(strippedFrame)
            else {
                Issue.record("not a commit")
                continue
            }
            var sameOtherwise = message
            sameOtherwise.blocks = original.blocks
            #expect(sameOtherwise == original)
            let car = try CARFile(message.blocks, limits: .commitDiff)
            #expect(car.blocks.count == 3)
            let commitBlock = try #require(car[message.commit])
            let commit = try Commit(block: commitBlock)
            #expect(commit.isSigned(by: key.publicKey))
            for op in message.ops {
                let cid = try #require(op.cid)
                let block = try #require(car[cid])
                #expect(cid.matches(Array(block)))
            }
            fullBytes += fullFrame.count
            strippedBytes += strippedFrame.count
        }
        #expect(strippedBytes * 100 / fullBytes < 60)
    }

    @Test func stalledSubscriberDoesNotHoldBackOthers() async throws {
        let relay = try await RelayTestServer.start()
        defer { Task { await relay.stop() } }
        let did = "did:plc:bigframesaaaaaaaaaaaaaa"
        let payload = [UInt8](repeating: 0x5a, count: 16_000)
        let url = relay.wsURL
        // A consumer that connects and never reads.
        let stalled = Task {
            try await WebSocketClient.connect(
                url: url + "?cursor=0", configuration: .init(maxFrameSize: 1 << 23), logger: FirehoseTestClient.logger
            ) { _, _, _ in
                try await Task.sleep(for: .seconds(60))
            }
        }
        defer { stalled.cancel() }
        try await Task.sleep(for: .milliseconds(300))
        // 3,000 frames of 16 KB (48 MB) — far beyond what socket buffers hold for the stalled consumer.
        for batch in 0..<30 {
            try relay.log.write { txn in
                for index in 0..<100 {
                    try txn.append(kind: .sync, did: did) { seq in
                        FrameEncoder.encode(SyncMessage(seq: Int64(seq), did: did, blocks: payload,
                                                        rev: "3kaaaaaaaa\(batch % 10)\(index % 10)2",
                                                        time: "2026-11-25T00:00:00.000Z"))
                    }
                }
            }
        }
        let fast = try await FirehoseTestClient.collect(url + "?cursor=0", timeout: .seconds(60)) {
            $0.count >= 3_000
        }
        #expect(fast.messages.count == 3_000)
        // The stalled subscriber is still connected (how far its socket and client buffers got is up to the OS and
        // the client library; the relay queues nothing for it beyond its cursor).
        // (The fast subscriber's own disconnect may still be in progress: wait for it.)
        var polls = 0
        while relay.server.subscribers.registry.all.count > 1, polls < 100 {
            try await Task.sleep(for: .milliseconds(50))
            polls += 1
        }
        #expect(relay.server.subscribers.registry.all.count == 1)
    }
}

