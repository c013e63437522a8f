import Firehose
import Synchronization
import Testing

/// The subscriber client against real WebSocket servers on 127.0.0.1: order, raw bytes, seq rules, reconnects,
/// error frames, undecodable frames, cancellation and backpressure.
@Suite struct ClientTests {
    static let base = "/xrpc/com.atproto.sync.subscribeRepos"
    static let time = "2026-01-01T00:00:00Z"

    static func identity(_ seq: Int64) -> FirehoseFrame {
        .identity(IdentityMessage(seq: seq, did: "did:plc:alice\(seq)", time: time, handle: "alice.test"))
    }

    static func account(_ seq: Int64) -> FirehoseFrame {
        .account(AccountMessage(seq: seq, did: "did:plc:bob", time: time, active: false, status: "deactivated"))
    }

    /// Short backoff so reconnect tests take milliseconds.
    static func client(
        _ port: Int, cursor: Int64? = nil, shard: ShardSelection? = nil, stripProofs: Bool = false,
        resumeCursor: (@Sendable () async -> Int64?)? = nil
    ) throws -> FirehoseClient {
        let subscription = try FirehoseSubscription(
            url: "ws://127.0.0.1:\(port)", cursor: cursor, shard: shard, stripProofs: stripProofs)
        let configuration = FirehoseClientConfiguration(
            backoff: BackoffPolicy(initial: .milliseconds(10), maximum: .milliseconds(40), jitter: 0.5),
            pingInterval: nil, closeTimeout: .seconds(2))
        return FirehoseClient(subscription: subscription, configuration: configuration, resumeCursor: resumeCursor)
    }

    /// Iterates `events()` until `done` holds, then drops the iterator (which closes the socket).
    static func collect(
        _ client: FirehoseClient, until done: @escaping @Sendable ([FirehoseClientEvent]) -> Bool
    ) async throws -> [FirehoseClientEvent] {
        try await withDeadline {
            var events: [FirehoseClientEvent] = []
            for await event in client.events() {
                events.append(event)
                if done(events) { break }
            }
            return events
        }
    }

    static func untilTag(_ tag: String) -> @Sendable ([FirehoseClientEvent]) -> Bool {
        { events in events.last.map(Self.tag) == tag }
    }

    /// A compact, comparable name for an event.
    static func tag(_ event: FirehoseClientEvent) -> String {
        switch event {
        case .connecting(_, let cursor): "connecting \(cursor.map(String.init) ?? "live")"
        case .connected: "connected"
        case .frame(let frame, _): "frame \(frame.seq.map(String.init) ?? "noseq")"
        case .staleSeq(let seq, let last): "stale \(seq)/\(last)"
        case .futureCursor(_, let cursor): "futureCursor \(cursor.map(String.init) ?? "live")"
        case .errorFrame(let message): "error \(message.error)"
        case .undecodable: "undecodable"
        case .disconnected(let reason):
            switch reason {
            case .connectFailed: "disconnected connectFailed"
            case .closed, .transportError: "disconnected"
            case .errorFrame: "disconnected errorFrame"
            case .undecodableFrame: "disconnected undecodable"
            }
        case .backoff(_, let failures): "backoff \(failures)"
        }
    }

    @Test func framesArriveInOrderWithTheirBytes() async throws {
        let sent: [FirehoseFrame] = [
            Self.identity(1), Self.account(2), .info(InfoMessage(name: "OutdatedCursor", message: "old")),
            Self.identity(3), Self.account(4), Self.identity(5),
        ]
        try await ClientTestServer.with({ connection in
            for frame in sent { try await connection.send(frame) }
            await connection.waitForClientClose()
        }) { server, port in
            let shard = try ShardSelection(count: 4, index: 1)
            let client = try Self.client(port, shard: shard, stripProofs: true)
            let events = try await Self.collect(client, until: Self.untilTag("frame 5"))
            #expect(events.map(Self.tag) == [
                "connecting live", "connected", "frame 1", "frame 2", "frame noseq", "frame 3", "frame 4", "frame 5",
            ])
            let received = events.compactMap { event -> (FirehoseFrame, [UInt8])? in
                if case .frame(let frame, let bytes) = event { return (frame, bytes) }
                return nil
            }
            #expect(received.count == sent.count)
            for (got, expected) in zip(received, sent) {
                #expect(got.0 == expected)
                #expect(got.1 == FrameEncoder.encode(expected))
            }
            #expect(server.paths == [Self.base + "?shards=4&shard=1&stripProofs=true"])
            // Dropping the iterator closed the socket, so the server's read loop ended.
            #expect(try await eventually { server.ended.contains(0) })
        }
    }

    @Test func replayedCursorEventAndOtherNonIncreasingSeqsAreSkipped() async throws {
        try await ClientTestServer.with({ connection in
            for seq: Int64 in [3, 4, 5, 5, 4, 6] { try await connection.send(Self.identity(seq)) }
            await connection.waitForClientClose()
        }) { server, port in
            let events = try await Self.collect(try Self.client(port, cursor: 3), until: Self.untilTag("frame 6"))
            #expect(events.map(Self.tag) == [
                "connecting 3", "connected", "stale 3/3", "frame 4", "frame 5", "stale 5/5", "stale 4/5", "frame 6",
            ])
            #expect(server.paths == [Self.base + "?cursor=3"])
        }
    }

    @Test func droppedConnectionResumesFromTheCallersCursor() async throws {
        let resumeCalls = Mutex(0)
        try await ClientTestServer.with({ connection in
            if connection.index == 0 {
                for seq: Int64 in 1...3 { try await connection.send(Self.identity(seq)) }
                try await connection.settle()
                await connection.drop()
            } else {
                for seq: Int64 in 3...4 { try await connection.send(Self.identity(seq)) }
                await connection.waitForClientClose()
            }
        }) { server, port in
            // The caller has durably handled only seq 2, although 3 was delivered: the reconnect must use 2.
            let client = try Self.client(port) {
                resumeCalls.withLock { $0 += 1 }
                return 2
            }
            let events = try await Self.collect(client, until: Self.untilTag("frame 4"))
            #expect(events.map(Self.tag) == [
                "connecting live", "connected", "frame 1", "frame 2", "frame 3", "disconnected", "backoff 1",
                "connecting 2", "connected", "frame 3", "frame 4",
            ])
            #expect(server.paths == [Self.base, Self.base + "?cursor=2"])
            #expect(resumeCalls.withLock { $0 } == 1)
        }
    }

    @Test func withoutAResumeClosureTheLastHandledSeqIsUsed() async throws {
        struct Stop: Error {}
        let tags = Mutex<[String]>([])
        try await ClientTestServer.with({ connection in
            switch connection.index {
            case 0:
                for seq: Int64 in 1...2 { try await connection.send(Self.identity(seq)) }
                try await connection.settle()
            default:
                try await connection.send(Self.identity(3))
                await connection.waitForClientClose()
            }
        }) { server, port in
            let client = try Self.client(port)
            await #expect(throws: Stop.self) {
                try await withDeadline {
                    try await client.run { event in
                        tags.withLock { $0.append(Self.tag(event)) }
                        if Self.tag(event) == "frame 3" { throw Stop() }
                    }
                }
            }
            #expect(tags.withLock { $0 } == [
                "connecting live", "connected", "frame 1", "frame 2", "disconnected", "backoff 1",
                "connecting 2", "connected", "frame 3",
            ])
            #expect(server.paths == [Self.base, Self.base + "?cursor=2"])
            // The error thrown by `body` closed the connection.
            #expect(try await eventually { server.ended.contains(1) })
        }
    }

    @Test func futureCursorAndOtherErrorFramesAreSurfacedThenReconnected() async throws {
        try await ClientTestServer.with({ connection in
            switch connection.index {
            case 0:
                try await connection.send(.error(ErrorMessage(error: "FutureCursor", message: "ahead")))
                await connection.waitForClientClose()
            case 1:
                try await connection.send(.error(ErrorMessage(error: "ConsumerTooSlow")))
                try await connection.settle()
            default:
                try await connection.send(Self.identity(1))
                await connection.waitForClientClose()
            }
        }) { server, port in
            // The relay answers FutureCursor by restarting the host from cursor 0.
            let client = try Self.client(port, cursor: 100) { 0 }
            let events = try await Self.collect(client, until: Self.untilTag("frame 1"))
            #expect(events.map(Self.tag) == [
                "connecting 100", "connected", "futureCursor 100", "disconnected errorFrame", "backoff 1",
                "connecting 0", "connected", "error ConsumerTooSlow", "disconnected errorFrame", "backoff 2",
                "connecting 0", "connected", "frame 1",
            ])
            guard case .futureCursor(let message, _) = events[2] else {
                Issue.record("expected futureCursor, got \(events[2])")
                return
            }
            #expect(message == ErrorMessage(error: "FutureCursor", message: "ahead"))
            #expect(server.paths == [Self.base + "?cursor=100", Self.base + "?cursor=0", Self.base + "?cursor=0"])
        }
    }

    @Test func undecodableFramesCloseTheConnectionAndReconnect() async throws {
        let garbage: [UInt8] = [0xa2, 0x61, 0x74, 0xff, 0x00]
        try await ClientTestServer.with({ connection in
            switch connection.index {
            case 0:
                try await connection.send(Self.identity(1))
                try await connection.send(garbage)
                await connection.waitForClientClose()
            case 1:
                try await connection.outbound.write(.text("not cbor"))
                await connection.waitForClientClose()
            default:
                try await connection.send(Self.identity(2))
                await connection.waitForClientClose()
            }
        }) { server, port in
            let events = try await Self.collect(try Self.client(port), until: Self.untilTag("frame 2"))
            #expect(events.map(Self.tag) == [
                "connecting live", "connected", "frame 1", "undecodable", "disconnected undecodable", "backoff 1",
                "connecting 1", "connected", "undecodable", "disconnected undecodable", "backoff 2",
                "connecting 1", "connected", "frame 2",
            ])
            guard case .undecodable(let bytes, let reason) = events[3], case .undecodable(_, let textReason) = events[8]
            else {
                Issue.record("expected undecodable events")
                return
            }
            #expect(bytes == garbage)
            if case .frame = reason {} else { Issue.record("expected a decoder error, got \(reason)") }
            #expect(textReason == .textMessage)
            // The client, not the server, ended the bad connections.
            #expect(try await eventually { server.ended.isSuperset(of: [0, 1]) })
            #expect(server.paths == [Self.base, Self.base + "?cursor=1", Self.base + "?cursor=1"])
        }
    }
}
