import EventLog
import Foundation
@testable import RelayHTTP
import Synchronization
import Testing

/// `GET /admin/subscribers`: every connected consumer with its parameters, position and lag.
@Suite(.serialized) struct AdminSubscribersTests {
    @Test func listsSubscribersWithTheirLag() async throws {
        try await AdminTestServer.with { server in
            let client = server.client()
            #expect(try await client.subscribers().subscribers.isEmpty)
            try SubscribeReposTests.append(server.log, count: 20)
            let head = server.log.headSeq
            // One registered directly, with a known position 7 events behind the head.
            let shard = try ShardFilter(index: 1, count: 4)
            let injected = server.registry.add(
                remoteAddress: "192.0.2.1", parameters: SubscribeParameters(cursor: 5, shard: shard, stripProofs: true),
                compressed: true, position: head - 7)
            var list = try await client.subscribers()
            #expect(list.headSeq == head && list.epoch == 1000)
            #expect(list.subscribers.count == 1)
            let view = try #require(list.subscribers.first)
            #expect(view.id == injected && view.remoteAddress == "192.0.2.1" && view.cursor == 5)
            #expect(view.shards == 4 && view.shard == 1 && view.stripProofs && view.compressed)
            #expect(view.position == head - 7 && view.lag == 7)
            #expect(ISO8601DateFormatter().date(from: view.connectedAt) != nil)

            // A real consumer over WebSocket, seen while it is connected.
            let seen = SeenSubscriber()
            let url = "ws://127.0.0.1:\(server.port)/xrpc/com.atproto.sync.subscribeRepos?cursor=0&shards=2&shard=1"
            _ = try await FirehoseTestClient.collect(url, timeout: .seconds(10), onConnected: {
                for _ in 0..<200 {
                    let real = try? await client.subscribers().subscribers.first { $0.id != injected }
                    if let real, real.position == head {
                        seen.view.withLock { $0 = real }
                        return
                    }
                    try? await Task.sleep(for: .milliseconds(25))
                }
            }) { _ in true }
            let real = try #require(seen.view.withLock { $0 })
            #expect(real.remoteAddress == "127.0.0.1" && real.cursor == 0 && real.shards == 2 && real.shard == 1)
            #expect(real.stripProofs == false && real.compressed == false && real.lag == 0)

            // Once it disconnects, only the injected one is left.
            for _ in 0..<200 {
                list = try await client.subscribers()
                if list.subscribers.count == 1 { break }
                try await Task.sleep(for: .milliseconds(25))
            }
            #expect(list.subscribers.map(\.id) == [injected])
        }
    }

    @Test func lagCountsEventsWithinAnEpoch() {
        let head = Seq.make(epoch: 1001, counter: 50)
        #expect(AdminSubscriberSnapshot.lag(position: head, head: head) == 0)
        #expect(AdminSubscriberSnapshot.lag(position: head - 1, head: head) == 1)
        #expect(AdminSubscriberSnapshot.lag(position: Seq.make(epoch: 1001, counter: 0), head: head) == 50)
        // Still in the previous epoch: at least the new epoch's events.
        #expect(AdminSubscriberSnapshot.lag(position: Seq.make(epoch: 1000, counter: 900), head: head) == 50)
        // A position past the head (a snapshot race) never underflows.
        #expect(AdminSubscriberSnapshot.lag(position: head + 3, head: head) == 0)
    }
}

/// What the WebSocket callback saw, shared with the test body.
final class SeenSubscriber: Sendable {
    let view = Mutex<AdminSubscriberView?>(nil)
}
