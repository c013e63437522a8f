import ATCrypto
import ATData
import ATRepo
import EventLog
import Firehose
import Relay
import Simulator
import Testing

/// Hostile hosts (issue 10, point 2). Every test runs a hostile host next to a well-behaved one: the bad events
/// are counted under their drop reason, and the good host's events keep arriving in the log throughout.
@Suite("Ingest: hostile hosts", .serialized)
struct HostileHostTests {
    /// Two simulated hosts: `hosts[0]` misbehaves, `hosts[1]` is the bystander; one account on each.
    static func withTwoHosts(
        label: String = #function, configure: @escaping (inout RelayConfiguration) -> Void = { _ in },
        _ body: (IngestHarness, SimulatedAccount, SimulatedAccount) async throws -> Void
    ) async throws {
        try await IngestHarness.with(hosts: 2, label: label, configure: configure) { harness in
            let victim = try await harness.account(on: harness.network.hosts[0])
            let bystander = try await harness.account(on: harness.network.hosts[1])
            try await body(harness, victim, bystander)
            try await harness.post(bystander.did)
        }
    }

    /// The last commit the relay emitted for `did`.
    static func lastCommit(_ harness: IngestHarness, _ did: String) throws -> CommitMessage {
        guard let commit = try harness.emitted(did).last(where: { $0.frame.commitMessage != nil })?.frame.commitMessage
        else { throw TestFailure("no commit emitted for \(did)") }
        return commit
    }

    @Test("frames at and over the 5,000,000-byte cap, over-long messages, garbage and deep CBOR")
    func frameLimitsAndGarbage() async throws {
        try await Self.withTwoHosts { harness, victim, bystander in
            let bad = harness.network.hosts[0]
            let last = try Self.lastCommit(harness, victim.did)
            // Exactly at the cap: decoded (the replayed commit is then refused as not newer, not as undecodable).
            _ = bad.emitRaw { seq in
                var frame = last
                frame.seq = seq
                return (try? HostileFrames.padded(FrameEncoder.encode(frame), toTotal: FrameDecoder.maxFrameBytes)) ?? []
            }
            try await harness.waitForDrop("rev_not_newer")
            #expect(try await harness.drops("undecodable_frame") == 0)
            try await harness.post(bystander.did)

            // Live-only bad frames (no seq, never replayed): each is counted, the connection is reopened from the
            // committed cursor, and the host's next valid event gets through on the new connection.
            var next = last
            next.seq = bad.headSeq + 1
            let nested = try HostileFrames.deeplyNested(FrameEncoder.encode(next), depth: DAGCBORLimits.default.maxDepth + 10)
            let badFrames: [(String, [UInt8])] = [
                ("one byte over the cap", try HostileFrames.padded(FrameEncoder.encode(next), toTotal: FrameDecoder.maxFrameBytes + 1)),
                ("not CBOR", HostileFrames.garbage),
                ("nested deeper than the decoder's cap", nested),
            ]
            for (index, (name, bytes)) in badFrames.enumerated() {
                bad.emitRaw(bytes)
                try await harness.waitForDrop("undecodable_frame", count: UInt64(index + 1))
                try await harness.post(victim.did)
                try await harness.post(bystander.did)
                #expect(try await harness.drops("undecodable_frame") == UInt64(index + 1), "\(name)")
            }
            // Over the WebSocket message limit: the client stops reading it and the connection is reopened (counted
            // as undecodable when the WebSocket layer reports it; NIO may close the channel first, so not asserted).
            bad.emitRaw(try HostileFrames.padded(
                FrameEncoder.encode(next), toTotal: FirehoseClientConfiguration.defaultMaxMessageBytes + 100_000))
            try await harness.post(victim.did)
            try await harness.post(bystander.did)
            // Nesting within the cap is fine (the unknown field is skipped; the replay is refused as not newer).
            _ = bad.emitRaw { seq in
                var frame = last
                frame.seq = seq
                return (try? HostileFrames.deeplyNested(FrameEncoder.encode(frame), depth: 64)) ?? []
            }
            try await harness.waitForDrop("rev_not_newer", count: 2)
            try await harness.post(victim.did)
        }
    }

    @Test("CAR layouts: duplicate and unreferenced blocks pass; blocks, ops and #sync at their caps pass, over them drop")
    func carLayoutsAndSizeCaps() async throws {
        try await Self.withTwoHosts { harness, victim, bystander in
            let network = harness.network
            // Tolerated (protocol §8.1): duplicates and unreferenced extra blocks; passed through unchanged.
            for layout in [BlockLayout.duplicateBlock, .unreferencedBlock, .padded(toBytes: CommitVerifier.maxBlocksBytes)] {
                let before = try harness.emitted(victim.did).count
                let outcome = try await network.write(victim.did, [.post], layout: layout)
                let frames = try await harness.waitForEmitted(victim.did, count: before + 1)
                let emitted = try #require(frames.last?.commitMessage)
                #expect(emitted.rev == outcome.rev, "\(layout)")
                #expect(emitted.blocks == outcome.event.commit?.blocks, "\(layout)")
                try await harness.post(bystander.did)
            }
            let padded = try Self.lastCommit(harness, victim.did).blocks.count
            #expect(padded == CommitVerifier.maxBlocksBytes)
            // Exactly 200 ops pass; 201 are dropped.
            let before = try harness.emitted(victim.did).count
            let many = try await network.write(victim.did, Array(repeating: .like, count: CommitVerifier.maxOps))
            let frames = try await harness.waitForEmitted(victim.did, count: before + 1)
            #expect(frames.last?.commitMessage?.ops.count == CommitVerifier.maxOps)
            #expect(frames.last?.commitMessage?.rev == many.rev)
            try await network.write(victim.did, [.post], fault: .tooManyOps)
            try await harness.waitForDrop("too_many_ops")
            // Over the blocks cap by one byte, and a record block left out.
            try await network.write(victim.did, [.post], layout: .padded(toBytes: CommitVerifier.maxBlocksBytes + 1))
            try await harness.waitForDrop("blocks_too_large")
            try await network.write(victim.did, [.post], layout: .withoutRecordBlock)
            try await harness.waitForDrop("missing_record_block")
            try await harness.post(victim.did)
            try await harness.post(bystander.did)
            // #sync: exactly 10,000 bytes of blocks pass, 10,001 are dropped.
            let syncCount = try harness.emitted(victim.did).count
            try await network.emitSync(victim.did, silentWrites: [.post], layout: .padded(toBytes: 10_000))
            let synced = try await harness.waitForEmitted(victim.did, count: syncCount + 1)
            guard case .sync(let sync) = synced.last else { throw TestFailure("expected #sync, got \(String(describing: synced.last))") }
            #expect(sync.blocks.count == 10_000)
            try await network.emitSync(victim.did, silentWrites: [.post], layout: .padded(toBytes: 10_001))
            try await harness.waitForDrop("sync_too_large")
            try await harness.post(victim.did)
        }
    }

    @Test("commits for DIDs the host does not serve, unknown or invalid DIDs, and a rotated-out key are dropped")
    func identityAbuse() async throws {
        try await Self.withTwoHosts { harness, victim, bystander in
            let network = harness.network
            let bad = network.hosts[0]
            // A valid commit of the bystander's account, sent by the hostile host.
            try await network.write(bystander.did, [.post], fault: .wrongHostAuthority)
            try await harness.waitForDrop("host_authority")
            try await harness.post(bystander.did)
            // The victim's last commit re-addressed to a DID no directory knows, and to something not a DID.
            let last = try Self.lastCommit(harness, victim.did)
            for (repo, reason) in [("did:plc:aaaaaaaaaaaaaaaaaaaaaaaa", "identity_unavailable"), ("not-a-did", "invalid_did")] {
                _ = bad.emitRaw { seq in
                    var frame = last
                    frame.seq = seq
                    frame.repo = repo
                    return FrameEncoder.encode(frame)
                }
                try await harness.waitForDrop(reason)
            }
            try await harness.post(bystander.did)
            // The DID document rotates to a key the host does not have (announced by #identity, so the relay
            // re-resolves); the host keeps signing with the old key: dropped after the one refresh.
            let stranger = PrivateKey.generate(curve: .k256)
            network.plc.update(victim.did) { $0.signingKey = stranger.publicKey.multikey }
            let identities = try harness.emitted(victim.did).count
            try await network.emitIdentity(victim.did)
            try await harness.waitForEmitted(victim.did, count: identities + 1)
            try await network.write(victim.did, [.post])
            try await harness.waitForDrop("bad_signature")
            #expect(try harness.emitted(victim.did).count == identities + 1)
            // Host and document agree again: the account's commits flow.
            try await network.rotateKey(victim.did)
            try await harness.waitForEmitted(victim.did, count: identities + 2)
            try await harness.post(victim.did)
        }
    }

    @Test("rev rollback, far-future revs and a sequence reset on one host leave the other host flowing")
    func revAndSequenceAbuse() async throws {
        try await Self.withTwoHosts { harness, victim, bystander in
            let network = harness.network
            let bad = network.hosts[0]
            try await network.write(victim.did, [.post], fault: .revRollback)
            try await harness.waitForDrop("rev_not_newer")
            try await network.write(victim.did, [.post], fault: .futureRev)
            try await harness.waitForDrop("rev_in_future")
            try await harness.post(bystander.did)
            try await harness.post(victim.did)
            let before = try harness.emitted(victim.did).count
            bad.resetSequence()
            guard try await eventually(seconds: 20, {
                (try harness.log.read { try $0.host(bad.hostname) }?.generation ?? 0) >= 1
            }) else { throw TestFailure("the relay did not notice the sequence reset") }
            try await harness.post(bystander.did)
            guard try await eventually({ bad.sequencer.subscriberCount > 0 }) else {
                throw TestFailure("relay did not reconnect to the reset host")
            }
            try await harness.post(victim.did)
            #expect(try harness.emitted(victim.did).count == before + 1)
        }
    }

    @Test("a host flooding past its rate limit is slowed (not dropped) while the other host flows")
    func flood() async throws {
        let flood = 100
        try await Self.withTwoHosts(configure: { configuration in
            configuration.baseEventsPerSecond = 25
            configuration.throttledAfter = .milliseconds(300)
        }) { harness, victim, bystander in
            let network = harness.network
            let start = try harness.emitted(victim.did).count
            for _ in 0..<flood { try await network.write(victim.did, [.like]) }
            // 100 events at 25/s take about 4 s; the bystander's event does not wait for them.
            try await harness.post(bystander.did)
            #expect(try harness.emitted(victim.did).count < start + flood)
            guard try await eventually(seconds: 30, {
                harness.relay.statistics.snapshot.rateLimitWaits > 0
            }) else { throw TestFailure("the flood never waited for the rate limit") }
            var sawThrottled = false
            let clock = ContinuousClock()
            let deadline = clock.now + .seconds(60)
            while clock.now < deadline, try harness.emitted(victim.did).count < start + flood {
                let status = try await harness.relay.listHosts().first { $0.hostname == network.hosts[0].hostname }?.status
                if status == "throttled" { sawThrottled = true }
                try await Task.sleep(for: .milliseconds(20))
            }
            // Nothing was dropped: every flooded event arrived, in order.
            #expect(try harness.emitted(victim.did).count == start + flood)
            #expect(sawThrottled)
            #expect(harness.relay.statistics.snapshot.droppedTotal == 0)
            try await Task.sleep(for: .seconds(1))
            try await harness.post(victim.did)
        }
    }
}
