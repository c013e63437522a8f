import Firehose
import Synchronization
import Testing

/// Cancellation, backpressure, frame size limits and connect failures of the subscriber client, on real sockets.
@Suite struct ClientLifecycleTests {
    @Test func cancellingTheConsumerClosesTheSocket() async throws {
        try await ClientTestServer.with({ connection in
            try await connection.send(ClientTests.identity(1))
            await connection.waitForClientClose()
        }) { server, port in
            let client = try ClientTests.client(port)
            let (seen, seenContinuation) = AsyncStream.makeStream(of: Void.self)
            let consumer = Task {
                var count = 0
                for await event in client.events() {
                    count += 1
                    if case .frame = event { seenContinuation.yield() }
                }
                return count
            }
            let gotFrame = try await withDeadline {
                for await _ in seen { return true }
                return false
            }
            #expect(gotFrame)
            consumer.cancel()
            // The stream ends and the server sees the client close, without waiting for any timeout.
            let count = try await withDeadline(seconds: 5) { await consumer.value }
            #expect(count == 3)
            #expect(try await eventually(seconds: 5) { server.ended.contains(0) })
            #expect(server.paths.count == 1)
        }
    }

    @Test func aStalledConsumerStopsTheSocketReads() async throws {
        // 250 × 256 KB: well beyond what loopback can buffer here (receive buffers grow to 32 MB, send to 4 MB).
        let total = 250
        let written = Mutex(0)
        let blocks = [UInt8](repeating: 0x5a, count: 256 * 1024)
        try await ClientTestServer.with({ connection in
            for seq in 1...total {
                let sync = SyncMessage(
                    seq: Int64(seq), did: "did:plc:carol", blocks: blocks, rev: "3kaaaaaaaaaa2", time: ClientTests.time)
                try await connection.send(.sync(sync))
                written.withLock { $0 = seq }
            }
            await connection.waitForClientClose()
        }) { _, port in
            let client = try ClientTests.client(port)
            try await withDeadline {
                var iterator = client.events().makeAsyncIterator()
                var seqs: [Int64] = []
                while let event = await iterator.next() {
                    if case .frame(let frame, let bytes) = event, let seq = frame.seq {
                        #expect(bytes.count > blocks.count)
                        seqs.append(seq)
                        break
                    }
                }
                // 64 MB do not fit in the socket buffers: with the consumer stalled, the server must stall too.
                try await Task.sleep(for: .milliseconds(500))
                let writtenWhileStalled = written.withLock { $0 }
                #expect(writtenWhileStalled < total)
                while seqs.count < total, let event = await iterator.next() {
                    if case .frame(let frame, _) = event, let seq = frame.seq { seqs.append(seq) }
                }
                #expect(seqs == (1...Int64(total)).map { $0 })
                #expect(written.withLock { $0 } == total)
            }
        }
    }

    @Test func oversizedFramesAreRejectedAndTheConnectionReopened() async throws {
        func sync(_ seq: Int64, blockBytes: Int) -> FirehoseFrame {
            .sync(SyncMessage(
                seq: seq, did: "did:plc:dave", blocks: [UInt8](repeating: 1, count: blockBytes), rev: "3kaaaaaaaaaa2",
                time: ClientTests.time))
        }
        // Just over the 5,000,000-byte frame cap (inside the client's slack), then far over the WebSocket limit.
        let justOver = FrameEncoder.encode(sync(1, blockBytes: FrameDecoder.maxFrameBytes))
        #expect(justOver.count > FrameDecoder.maxFrameBytes)
        #expect(justOver.count < FirehoseClientConfiguration.defaultMaxMessageBytes)
        let farOver = FrameEncoder.encode(sync(1, blockBytes: 6_000_000))
        try await ClientTestServer.with({ connection in
            switch connection.index {
            case 0: try await connection.send(justOver)
            case 1: try await connection.send(farOver)
            default: try await connection.send(ClientTests.identity(1))
            }
            await connection.waitForClientClose()
        }) { server, port in
            let events = try await ClientTests.collect(try ClientTests.client(port), until: ClientTests.untilTag("frame 1"))
            #expect(events.map(ClientTests.tag) == [
                "connecting live", "connected", "undecodable", "disconnected undecodable", "backoff 1",
                "connecting live", "connected", "disconnected", "backoff 2",
                "connecting live", "connected", "frame 1",
            ])
            guard case .undecodable(let bytes, let reason) = events[2] else {
                Issue.record("expected undecodable, got \(events[2])")
                return
            }
            #expect(bytes.count == justOver.count)
            #expect(reason == .frame(.frameTooLarge(justOver.count)))
            // NIO's frame decoder rejects the 6 MB frame and closes the channel: the stream just ends (no close code).
            guard case .disconnected(.closed(code: nil, _)) = events[7] else {
                Issue.record("expected the stream to end, got \(events[7])")
                return
            }
            #expect(server.paths.count == 3)
        }
    }

    @Test func connectFailuresBackOffWithGrowingDelays() async throws {
        // Port 1 on loopback: nothing listens there, so every attempt is refused.
        let subscription = try FirehoseSubscription(url: "ws://127.0.0.1:1")
        let policy = BackoffPolicy(initial: .milliseconds(5), maximum: .milliseconds(20), jitter: 0.5)
        let client = FirehoseClient(
            subscription: subscription, configuration: FirehoseClientConfiguration(backoff: policy, pingInterval: nil))
        let events = try await ClientTests.collect(client, until: ClientTests.untilTag("backoff 4"))
        #expect(events.map(ClientTests.tag) == [
            "connecting live", "disconnected connectFailed", "backoff 1",
            "connecting live", "disconnected connectFailed", "backoff 2",
            "connecting live", "disconnected connectFailed", "backoff 3",
            "connecting live", "disconnected connectFailed", "backoff 4",
        ])
        let delays = events.compactMap { event -> (Duration, Int)? in
            if case .backoff(let delay, let failures) = event { return (delay, failures) }
            return nil
        }
        #expect(delays.count == 4)
        for (delay, failures) in delays {
            let nominal = policy.nominalDelay(failures: failures)
            #expect(delay <= nominal && delay >= nominal / 2)
        }
    }
}
