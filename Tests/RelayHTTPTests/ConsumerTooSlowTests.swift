import EventLog
@testable import Firehose
import Foundation
@testable import RelayHTTP
import Testing

/// A consumer that stops reading while retention deletes what it has not read (design §2): it gets
/// `ConsumerTooSlow` when its socket can take it, or is disconnected; others are unaffected and the relay pulls
/// nothing more from the log for it while it is stalled.
@Suite(.serialized) struct ConsumerTooSlowTests {
    static let did = "did:plc:tooslowaaaaaaaaaaaaaaaaa"
    static let batches = 40
    static let perBatch = 20
    static var total: Int { batches * perBatch }

    /// Appends `batches` × `perBatch` frames of about 24 KB (19 MB in all, several times what the socket buffers
    /// can hold for the stalled client: its 64 KB receive buffer plus the server's send buffer, at most 4 MB here).
    static func appendLargeFrames(_ log: EventLog, batches: Int = batches) throws {
        let payload = [UInt8](repeating: 0x5a, count: 24_000)
        for batch in 0..<batches {
            try log.write { txn in
                for index in 0..<perBatch {
                    try txn.append(kind: .sync, did: did) { seq in
                        FrameEncoder.encode(SyncMessage(seq: Int64(seq), did: did, blocks: payload,
                                                        rev: "3kaaaaaaaa\(batch % 10)\(index % 10)2",
                                                        time: "2026-11-25T00:00:00.000Z"))
                    }
                }
            }
        }
    }

    /// Polls `condition` every 20 ms until it holds or `timeout` passes; returns whether it held.
    static func eventually(timeout: Duration = .seconds(20), _ condition: () throws -> Bool) async rethrows -> Bool {
        let deadline = ContinuousClock.now.advanced(by: timeout)
        while try !condition() {
            guard ContinuousClock.now < deadline else { return false }
            try? await Task.sleep(for: .milliseconds(20))
        }
        return true
    }

    static func seq(_ payload: [UInt8]) -> UInt64? { (try? FrameDecoder.decode(payload))?.seq.map(UInt64.init) }

    @Test func stalledConsumerGetsConsumerTooSlowOnceItReadsAgain() async throws {
        // No watchdog here: the stalled subscriber must learn why it is cut off from the error frame.
        let relay = try await RelayTestServer.start(stallCheckInterval: .seconds(3600))
        defer { Task { await relay.stop() } }
        let registry = relay.server.subscribers.registry
        let stalled = try await StallingWebSocketClient.connect(
            port: relay.port, path: "/xrpc/com.atproto.sync.subscribeRepos?cursor=0")
        defer { Task { await stalled.close() } }
        #expect(await Self.eventually { registry.count == 1 })
        let stalledID = try #require(registry.all.first?.id)

        // A fast consumer reads everything while the stalled one's socket fills up.
        let url = relay.wsURL
        let total = Self.total
        let fast = Task {
            try await FirehoseTestClient.collect(url + "?cursor=0", timeout: .seconds(120)) { $0.count >= total }
        }
        try Self.appendLargeFrames(relay.log)
        let fastResult = try await fast.value
        let head = relay.log.headSeq
        #expect(fastResult.messages.count == total)
        #expect(fastResult.messages.compactMap(Self.seq) == Array((head - UInt64(total) + 1)...head))

        // Bounded buffering: with its socket full, the relay stopped pulling events for the stalled subscriber
        // (nothing is queued for it beyond one batch in hand and the socket).
        #expect(await Self.eventually { registry.count == 1 })
        let position = try #require(registry.all.first { $0.id == stalledID }?.position)
        #expect(head - position >= UInt64(total / 2), "stalled at \(position) of \(head)")
        #expect(stalled.seen.closed == false)

        // Retention deletes everything the stalled subscriber has not read.
        let report = try relay.log.prune(policy: RetentionPolicy(maxAge: nil, maxBytes: 1))
        #expect(report.deletedEvents == total)
        #expect(relay.log.prunedThrough == head)

        // Other subscribers keep receiving live events.
        let log = relay.log
        let live = try await FirehoseTestClient.collect(url, onConnected: {
            _ = await Self.eventually { registry.count == 2 }
            _ = try? Self.appendLargeFrames(log, batches: 1)
        }) { $0.count >= Self.perBatch }
        #expect(live.messages.compactMap(Self.seq) == Array((head + 1)...(head + UInt64(Self.perBatch))))

        // The stalled consumer reads again: what was in flight, then ConsumerTooSlow, then the close.
        try await stalled.resume()
        #expect(await Self.eventually { stalled.seen.closed })
        let frames = stalled.seen.frames
        let data = frames.filter { $0.opcode == 2 }
        let error = try #require(data.last)
        // It gets the rest of the batch the relay had in hand when it stalled, gaplessly, and no further.
        let delivered = data.dropLast().compactMap { Self.seq($0.payload) }
        let last = try #require(delivered.last)
        #expect(delivered == Array((head - UInt64(total) + 1)...last))
        #expect(last >= position && last < head)
        let decoded = try FrameDecoder.decode(error.payload)
        #expect(decoded == .error(ErrorMessage(error: "ConsumerTooSlow", message: "events after \(last) were pruned")),
                "last data frame: \(decoded.seq.map(String.init) ?? "\(decoded)"), head \(head), position \(position)")
        #expect(frames.last?.opcode == 8, "a close frame ends the stream; \(frames.count) frames")
        #expect(await Self.eventually { registry.count == 0 })
    }

    @Test func consumerThatNeverReadsAgainIsDisconnected() async throws {
        // Under load the prune can come before the relay read anything for this subscriber; it then gets
        // ConsumerTooSlow and a close frame it never answers, so the close grace period is what drops it.
        let relay = try await RelayTestServer.start(stallCheckInterval: .milliseconds(100),
                                                    closeGracePeriod: .seconds(1))
        defer { Task { await relay.stop() } }
        let registry = relay.server.subscribers.registry
        let stalled = try await StallingWebSocketClient.connect(
            port: relay.port, path: "/xrpc/com.atproto.sync.subscribeRepos?cursor=0")
        defer { Task { await stalled.close() } }
        #expect(await Self.eventually { registry.count == 1 })
        // One small event first, so the relay has a position for it before the flood (a subscriber at cursor 0 that
        // has read nothing would, after the prune, simply wait for new events).
        try relay.log.write { txn in
            try txn.append(kind: .identity, did: Self.did) { seq in
                FrameEncoder.encode(IdentityMessage(seq: Int64(seq), did: Self.did, time: "2026-11-25T00:00:00.000Z"))
            }
        }
        #expect(await Self.eventually { (registry.all.first?.position ?? 0) > 0 })
        try Self.appendLargeFrames(relay.log)
        let head = relay.log.headSeq
        // Its socket stays full; until retention passes its position, the relay keeps it.
        #expect(await Self.eventually {
            registry.all.first.map { head - $0.position >= UInt64(Self.total / 2) } ?? false
        })
        #expect(registry.count == 1)
        try relay.log.prune(policy: RetentionPolicy(maxAge: nil, maxBytes: 1))
        // The watchdog drops the connection without the client reading anything more; the slot is freed.
        #expect(await Self.eventually { registry.count == 0 },
                "still registered at \(registry.all.map(\.position)), head \(head), pruned \(relay.log.prunedThrough)")
        #expect(await Self.eventually { relay.server.limiter.count("127.0.0.1") == 0 })
        // Reading now drains what the socket held (data frames, possibly ConsumerTooSlow and a close frame) and
        // then meets the end of the connection.
        try? await stalled.resume()
        #expect(await Self.eventually { stalled.seen.closed })
    }
}
