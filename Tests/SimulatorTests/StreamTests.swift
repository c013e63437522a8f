import ATData
import ATRepo
import Firehose
import Simulator
import Synchronization
import Testing

@Suite("Simulated host streams")
struct StreamTests {
    @Test("a subscriber receives every event; every #commit verifies with the PLC key and chains")
    func commitsVerifyAndChain() async throws {
        try await withNetwork { network in
            let created = try await network.populate(accounts: 4)
            #expect(Set(created.map(\.signingKey.curve)).count == 2)
            let stats = await network.generate(events: 60)
            #expect(stats.skipped == 0)
            #expect(stats.events == 60)
            try await withResolver(network) { resolver in
                var commitCount = 0
                for host in network.hosts {
                    let head = host.headSeq
                    let events = try await collect(host, cursor: 0) { lastSeq($0) == head }
                    let received = frames(events)
                    #expect(received.map { $0.seq ?? 0 } == Array(1...head))
                    // Per repo: the rev and data of the last commit (what a relay stores).
                    var stored: [String: (rev: String, data: CID)] = [:]
                    for frame in received {
                        guard case .commit(let message) = frame else { continue }
                        commitCount += 1
                        let identity = try await resolver.resolve(message.repo)
                        let key = try #require(identity.signingKey)
                        #expect(identity.pdsEndpoint == host.url)
                        let verified = try verify(message, key: key)
                        #expect(verified.invertedToPrevData)
                        #expect(message.blobs.isEmpty && !message.tooBig && !message.rebase)
                        #expect(Datetime.isValid(message.time))
                        if let previous = stored[message.repo] {
                            #expect(message.since == previous.rev)
                            #expect(message.prevData == previous.data)
                            #expect(message.rev > previous.rev)
                        } else {
                            #expect(message.since == nil)
                        }
                        stored[message.repo] = (message.rev, verified.commit.data)
                    }
                    for (did, state) in stored {
                        let account = try #require(await network.account(did))
                        #expect(account.rev == state.rev)
                        #expect(account.dataCID == state.data)
                    }
                }
                #expect(commitCount == 4 + stats.commits)
            }
        }
    }

    @Test("cursor backfill sends seq > cursor, then live events")
    func backfillThenLive() async throws {
        try await withNetwork(NetworkConfiguration(hostCount: 1, seed: 3)) { network in
            let account = try await network.createAccount()
            for _ in 0..<7 { try await network.write(account.did, [.post]) }
            let host = network.hosts[0]
            #expect(host.headSeq == 10)
            let liveWriter = Task {
                // Written while the subscriber is connected (after it has read the backfill).
                while host.sequencer.subscriberCount == 0 { try await Task.sleep(for: .milliseconds(10)) }
                try await network.write(account.did, [.like])
            }
            let events = try await collect(host, cursor: 4) { lastSeq($0) == 11 }
            try await liveWriter.value
            #expect(frames(events).map { $0.seq ?? 0 } == Array(5...11))
        }
    }

    @Test("held events reach no subscriber until released, then all arrive in order (live-only ones too)")
    func heldDelivery() async throws {
        try await withNetwork(NetworkConfiguration(hostCount: 1, seed: 5)) { network in
            let account = try await network.createAccount()
            let host = network.hosts[0]
            host.sequencer.holdDelivery()
            for _ in 0..<5 { try await network.write(account.did, [.post]) }
            #expect(host.headSeq == 8)
            /// The seqs one subscriber received.
            final class Received: Sendable {
                let seqs = Mutex<[Int64]>([])
                func withLock<T>(_ body: (inout [Int64]) -> T) -> T { seqs.withLock { body(&$0) } }
            }
            /// Reads seqs from `cursor` on into `seqs` until seq 8.
            func reader(cursor: Int64?, into seqs: Received) throws -> Task<Void, Never> {
                let subscriber = try client(host, cursor: cursor)
                return Task {
                    for await event in subscriber.events() {
                        guard case .frame(let frame, _) = event, let seq = frame.seq else { continue }
                        seqs.withLock { $0.append(seq) }
                        if seq == 8 { break }
                    }
                }
            }
            let fromStart = Received()
            let liveOnly = Received()
            let first = try reader(cursor: 0, into: fromStart)
            let second = try reader(cursor: nil, into: liveOnly)
            try await withDeadline {
                while fromStart.withLock({ $0.count }) < 3 || host.sequencer.subscriberCount < 2 {
                    try await Task.sleep(for: .milliseconds(10))
                }
            }
            // The account's creation arrived; its writes stay held however long the subscribers wait.
            try await Task.sleep(for: .milliseconds(300))
            #expect(fromStart.withLock { $0 } == [1, 2, 3])
            #expect(liveOnly.withLock { $0 }.isEmpty)
            host.sequencer.releaseDelivery()
            try await withDeadline {
                await first.value
                await second.value
            }
            #expect(fromStart.withLock { $0 } == Array(1...8))
            // Held events count as live for a subscriber that connected during the hold.
            #expect(liveOnly.withLock { $0 } == Array(4...8))
        }
    }

    @Test("a cursor beyond the head gets FutureCursor; resetSequence restarts at 1 and old cursors become future")
    func futureCursorAndReset() async throws {
        try await withNetwork(NetworkConfiguration(hostCount: 1, seed: 4)) { network in
            let account = try await network.createAccount()
            let host = network.hosts[0]
            #expect(host.headSeq == 3)
            let future = try await collect(host, cursor: 50) { events in
                events.contains { if case .futureCursor = $0 { true } else { false } }
            }
            #expect(future.contains { if case .futureCursor(let message, _) = $0 { message.error == "FutureCursor" } else { false } })

            host.resetSequence()
            #expect(host.headSeq == 0)
            let afterReset = try await collect(host, cursor: 3) { events in
                events.contains { if case .futureCursor = $0 { true } else { false } }
            }
            #expect(frames(afterReset).isEmpty)
            let next = try await network.write(account.did, [.post])
            #expect(next.event.seq == 1)
            let replay = try await collect(host, cursor: 0) { lastSeq($0) == 1 }
            let commit = try #require(frames(replay).first)
            guard case .commit(let message) = commit else { throw TestFailure("expected #commit") }
            // The repository continued: the commit after the reset still chains onto the last one.
            #expect(message.since == account.rev)
        }
    }

    @Test("emitSync carries only the commit block, under 10,000 bytes; the next commit chains onto it")
    func syncEvent() async throws {
        try await withNetwork(NetworkConfiguration(hostCount: 1, seed: 5)) { network in
            let account = try await network.createAccount(curve: .p256)
            let event = try await network.emitSync(account.did, silentWrites: [.post, .follow])
            guard case .sync(let sync) = event.frame else { throw TestFailure("expected #sync") }
            #expect(sync.blocks.count <= 10_000)
            let car = try CARFile(sync.blocks, limits: .commitDiff)
            #expect(car.blocks.count == 1)
            let root = try #require(car.roots.first)
            let commit = try Commit(block: try #require(car[root]))
            #expect(commit.isSigned(by: account.signingKey))
            #expect(commit.rev == sync.rev)
            let after = try #require(await network.account(account.did))
            #expect(after.rev == sync.rev)
            #expect(after.recordCount == 3)
            let next = try await network.write(account.did, [.like])
            #expect(next.event.commit?.since == sync.rev)
            #expect(next.event.commit?.prevData == commit.data)
        }
    }
}
