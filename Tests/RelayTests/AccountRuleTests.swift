import EventLog
import Firehose
import Relay
import Simulator
import Testing

/// Account status, takedowns, `#sync`, `#identity`, migration and account limits (design §7–§8).
@Suite("Ingest: account rules", .serialized)
struct AccountRuleTests {
    @Test("an upstream deactivation is re-emitted and drops the account's commits until it is active again")
    func upstreamInactive() async throws {
        try await IngestHarness.with { harness in
            let account = try await harness.account()
            _ = try await harness.network.setStatus(account.did, active: false, status: "deactivated")
            let frames = try await harness.waitForEmitted(account.did, count: 4)
            #expect(frames.last?.accountMessage?.active == false)
            #expect(frames.last?.accountMessage?.status == "deactivated")
            try await harness.network.write(account.did, [.post])
            try await harness.waitForDrop("account_inactive")
            _ = try await harness.network.setStatus(account.did, active: true)
            try await harness.waitForEmitted(account.did, count: 5)
            try await harness.post(account.did)
        }
    }

    @Test("a relay takedown wins over the host, scrubs replay, and a restore lets events flow again")
    func takedown() async throws {
        try await IngestHarness.with { harness in
            let account = try await harness.account()
            try await harness.relay.takedown(did: account.did)
            // Replay no longer shows the account's earlier events; the takedown itself is emitted.
            let visible = try harness.emitted(account.did)
            #expect(visible.count == 1)
            #expect(visible.first?.frame.accountMessage?.status == "takendown")
            try await harness.network.write(account.did, [.post])
            try await harness.waitForDrop("account_taken_down")
            // The host says "active": re-emitted with the combined status, which stays takendown.
            _ = try await harness.network.setStatus(account.did, active: true)
            let combined = try await harness.waitForEmitted(account.did, count: 2)
            #expect(combined.last?.accountMessage?.active == false)
            #expect(combined.last?.accountMessage?.status == "takendown")
            try await harness.relay.restore(did: account.did)
            let restored = try await harness.waitForEmitted(account.did, count: 3)
            #expect(restored.last?.accountMessage?.active == true)
            // The commit dropped during the takedown is missing, so the next one passes as a discontinuity.
            try await harness.post(account.did)
            #expect(try harness.log.read { try $0.account(account.did) }?.status == .active)
        }
    }

    @Test("#sync: an older or equal rev is ignored, a newer one resets the state and the next commit chains")
    func sync() async throws {
        try await IngestHarness.with { harness in
            let account = try await harness.account()
            _ = try await harness.network.emitSync(account.did)  // same rev as the stored commit
            try await harness.post(account.did)
            #expect(try harness.emitted(account.did).count == 4)
            _ = try await harness.network.emitSync(account.did, silentWrites: [.post, .like])
            let frames = try await harness.waitForEmitted(account.did, count: 5)
            guard case .sync(let sync) = frames.last else { throw TestFailure("expected #sync, got \(frames)") }
            #expect(try harness.log.read { try $0.account(account.did) }?.rev == sync.rev)
            try await harness.post(account.did)
        }
    }

    @Test("a #sync over 10,000 bytes is dropped")
    func syncTooLarge() async throws {
        try await IngestHarness.with { harness in
            let account = try await harness.account()
            let rev = await harness.network.account(account.did)?.rev ?? ""
            _ = harness.network.hosts[0].emitRaw { seq in
                FrameEncoder.encode(SyncMessage(
                    seq: seq, did: account.did, blocks: [UInt8](repeating: 0, count: 10_001), rev: rev,
                    time: "2026-01-01T00:00:00.000Z"))
            }
            try await harness.waitForDrop("sync_too_large")
            try await harness.post(account.did)
        }
    }

    @Test("#identity: the handle is emitted only when it verifies")
    func identity() async throws {
        try await IngestHarness.with { harness in
            let account = try await harness.account()
            let first = try #require(try harness.emitted(account.did).first?.frame.identityMessage)
            #expect(first.handle == account.handle)
            // A handle the DID document claims but whose host does not confirm it is omitted.
            _ = harness.network.plc.update(account.did) { $0.handle = "impostor.nowhere.test" }
            _ = try await harness.network.emitIdentity(account.did)
            let frames = try await harness.waitForEmitted(account.did, count: 4)
            #expect(frames.last?.identityMessage != nil)
            #expect(frames.last?.identityMessage?.handle == nil)
            _ = try await harness.network.changeHandle(account.did, to: "renamed.sim.test")
            let renamed = try await harness.waitForEmitted(account.did, count: 5)
            #expect(renamed.last?.identityMessage?.handle == "renamed.sim.test")
        }
    }

    @Test("an account migrating to another host is followed; the old host's events are refused")
    func migration() async throws {
        try await IngestHarness.with(hosts: 2) { harness in
            let network = harness.network
            let account = try await harness.account(on: network.hosts[0])
            try await harness.post(account.did)
            let outcome = try await network.migrate(account.did, to: network.hosts[1])
            #expect(outcome.oldHostEvent != nil)
            // The new host's #identity, #account and continuing commit flow, and so does the next post.
            let rev = try await network.write(account.did, [.post]).rev
            guard try await eventually(seconds: 30, {
                try harness.emitted(account.did).contains { $0.frame.commitMessage?.rev == rev }
            }) else { throw TestFailure("no commit from the new host") }
            // The old host's farewell #account (deactivated) either lost to the new DID document (host_authority)
            // or, read before the new host's #identity, was passed on and then superseded by the new #account.
            var judged: UInt64 = 0
            let clock = ContinuousClock()
            let deadline = clock.now + .seconds(30)
            while judged < 1, clock.now < deadline {
                let farewells = try harness.emitted(account.did).filter { $0.frame.accountMessage?.active == false }
                judged = try await harness.drops("host_authority") + UInt64(farewells.count)
                if judged < 1 { try await Task.sleep(for: .milliseconds(10)) }
            }
            #expect(judged == 1)
            let stored = try #require(try harness.log.read { try $0.account(account.did) })
            #expect(stored.host == network.hosts[1].hostname)
            #expect(stored.upstreamStatus == .active)
            let hosts = try await harness.relay.listHosts()
            #expect(hosts.first { $0.hostname == network.hosts[0].hostname }?.accountCount == 0)
            #expect(hosts.first { $0.hostname == network.hosts[1].hostname }?.accountCount == 1)
        }
    }

    @Test("accounts beyond a host's limit are throttled; raising the limit releases them")
    func accountLimit() async throws {
        try await IngestHarness.with(configure: { $0.defaultAccountLimit = 2 }) { harness in
            _ = try await harness.account()
            _ = try await harness.account()
            let third = try await harness.network.createAccount()
            try await harness.waitForDrop("account_throttled", count: 3)  // its #identity, #account, commit
            #expect(try harness.emitted(third.did).isEmpty)
            // Drops are counted when decided; the throttled record commits with the next batch.
            #expect(try await eventually { try harness.log.read { try $0.account(third.did) }?.throttled == true })
            let hostname = harness.network.hosts[0].hostname
            let view = try await harness.relay.setHostLimits(hostname, accountLimit: .some(5), trusted: nil)
            #expect(view.accountLimit == 5)
            #expect(view.accountCount == 3)
            try await harness.post(third.did)
        }
    }

    @Test("a host whose sequence was reset (FutureCursor) is re-read from 0 without duplicates")
    func sequenceReset() async throws {
        try await IngestHarness.with { harness in
            let host = harness.network.hosts[0]
            let account = try await harness.account()
            try await harness.post(account.did)
            let before = try harness.emitted(account.did).count
            host.resetSequence()
            // The relay reconnects with its old cursor, gets FutureCursor, and starts over at 0.
            guard try await eventually(seconds: 20, {
                (try harness.log.read { try $0.host(host.hostname) }?.generation ?? 0) >= 1
            }) else { throw TestFailure("the relay did not notice the sequence reset") }
            guard try await eventually({ host.sequencer.subscriberCount > 0 }) else {
                throw TestFailure("relay did not reconnect")
            }
            try await harness.post(account.did)
            #expect(try harness.emitted(account.did).count == before + 1)
        }
    }
}
