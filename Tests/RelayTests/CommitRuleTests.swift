import ATData
import EventLog
import Firehose
import Relay
import Simulator
import Testing

/// Every `#commit` rule of design §7: a violating commit is dropped with its reason, and the account's next good
/// commit still flows (chaining onto the last good one).
@Suite("Ingest: commit rules", .serialized)
struct CommitRuleTests {
    @Test("a new account's identity, account and first commit flow, re-sequenced by the relay")
    func accountLifecycleFlows() async throws {
        try await IngestHarness.with() { harness in
            let account = try await harness.account()
            let rev = try await harness.post(account.did)
            let emitted = try harness.emitted(account.did)
            #expect(emitted.count == 4)
            #expect(emitted.map(\.seq) == emitted.map(\.seq).sorted())
            #expect(emitted[0].frame.identityMessage != nil)
            #expect(emitted[1].frame.accountMessage?.active == true)
            for (seq, frame) in emitted { #expect(frame.seq == Int64(seq)) }
            let stored = try #require(try harness.log.read { try $0.account(account.did) })
            #expect(stored.rev == rev)
            #expect(stored.host == harness.network.hosts[0].hostname)
            let host = try #require(try await harness.relay.listHosts().first)
            #expect(host.cursor == UInt64(harness.network.hosts[0].headSeq))
            #expect(host.accountCount == 1)
        }
    }

    /// The drop reason each simulator fault must produce.
    static let faults: [(Fault, String)] = [
        (.badSignature, "bad_signature"), (.brokenProof, "inversion_mismatch"),
        (.missingProofNode, "missing_proof_block"), (.recordCIDMismatch, "op_tree_mismatch"),
        (.oversizeBlocks, "blocks_too_large"), (.tooManyOps, "too_many_ops"), (.badBlockHash, "block_hash_mismatch"),
        (.revRollback, "rev_not_newer"), (.futureRev, "rev_in_future"), (.mismatchedRepo, "repo_mismatch"),
        (.missingCommitBlock, "missing_commit_block"), (.malformedCBOR, "undecodable_frame"),
    ]

    @Test("every fault is dropped with its reason and the next good commit flows", arguments: faults)
    func faultDropped(_ fault: Fault, _ reason: String) async throws {
        try await IngestHarness.with() { harness in
            _ = try await harness.account()  // a second account: `mismatchedRepo` names it
            let account = try await harness.account()
            let before = try harness.emitted(account.did).count
            let faulted = try await harness.network.write(account.did, [.post], fault: fault)
            #expect(!faulted.applied)
            try await harness.waitForDrop(reason)
            let rev = try await harness.post(account.did)
            let frames = try harness.emitted(account.did).map(\.frame)
            #expect(frames.count == before + 1)
            #expect(frames.last?.commitMessage?.rev == rev)
            #expect(!frames.contains { $0.commitMessage?.rev == faulted.rev && faulted.rev != rev })
        }
    }

    @Test("a commit from a host that is not the account's PDS is dropped (host authority)")
    func wrongHost() async throws {
        try await IngestHarness.with(hosts: 2) { harness in
            let account = try await harness.account(on: harness.network.hosts[0])
            try await harness.network.write(account.did, [.post], fault: .wrongHostAuthority)
            try await harness.waitForDrop("host_authority")
            try await harness.post(account.did)
            #expect(try harness.emitted(account.did).count == 4)
        }
    }

    @Test("--lenient passes proof failures as warnings (signature still enforced)")
    func lenient() async throws {
        try await IngestHarness.with(configure: { $0.lenient = true }) { harness in
            let account = try await harness.account()
            let broken = try await harness.network.write(account.did, [.post], fault: .brokenProof)
            let frames = try await harness.waitForEmitted(account.did, count: 4)
            #expect(frames.last?.commitMessage?.rev == broken.rev)
            try await harness.network.write(account.did, [.post], fault: .badSignature)
            try await harness.waitForDrop("bad_signature")
        }
    }

    @Test("a rev that is not a TID is dropped")
    func invalidRev() async throws {
        try await IngestHarness.with() { harness in
            let account = try await harness.account()
            let good = try #require(try harness.emitted(account.did).last?.frame.commitMessage)
            _ = harness.network.hosts[0].emitRaw { seq in
                var bad = good
                bad.seq = seq
                bad.rev = "not-a-tid"
                return FrameEncoder.encode(bad)
            }
            try await harness.waitForDrop("invalid_rev")
            try await harness.post(account.did)
        }
    }

    @Test("a rev or commit CID that differs from the signed commit is dropped")
    func fieldsDisagreeWithCommit() async throws {
        try await IngestHarness.with { harness in
            let account = try await harness.account()
            let good = try #require(try harness.emitted(account.did).last?.frame.commitMessage)
            // A newer, valid rev in the message, but the signed commit carries the old one.
            let newer = try TID(microsecondsSinceEpoch: UInt64(LogTime.now().microseconds), clockID: 7).string
            _ = harness.network.hosts[0].emitRaw { seq in
                var bad = good
                bad.seq = seq
                bad.rev = newer
                return FrameEncoder.encode(bad)
            }
            try await harness.waitForDrop("rev_mismatch")
            // `commit` naming another CID than the CAR's root.
            _ = harness.network.hosts[0].emitRaw { seq in
                var bad = good
                bad.seq = seq
                bad.rev = newer
                bad.commit = good.prevData ?? good.commit
                return FrameEncoder.encode(bad)
            }
            try await harness.waitForDrop("commit_cid_mismatch")
            try await harness.post(account.did)
        }
    }

    @Test("an unknown message type is counted and skipped")
    func unknownType() async throws {
        try await IngestHarness.with() { harness in
            let account = try await harness.account()
            var writer = DAGCBORWriter()
            writer.writeMapHeader(count: 2)
            writer.writeString("t")
            writer.writeString("#bogus")
            writer.writeString("op")
            writer.writeInteger(1)
            writer.writeMapHeader(count: 1)
            writer.writeString("seq")
            writer.writeInteger(999)
            harness.network.hosts[0].emitRaw(writer.bytes)
            try await harness.waitForDrop("unknown_message_type")
            try await harness.post(account.did)
        }
    }
}
