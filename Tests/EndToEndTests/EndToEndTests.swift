import ATData
import ATRepo
import EventLog
import Firehose
import Foundation
import Relay
import RelayHTTP
import Simulator
import Testing

/// Simulator → relay → WebSocket subscribers, everything real on loopback (design §2, §4–§7).
@Suite("End to end", .serialized)
struct EndToEndTests {
    /// Which drop reason each fault produces.
    /// Drops counted so far, except undecodable frames.
    static func drops(_ dropped: [String: UInt64]) -> Int {
        Int(dropped.filter { $0.key != "undecodable_frame" }.values.reduce(0, +))
    }

    static let reasons: [Fault: String] = [
        .badSignature: "bad_signature", .brokenProof: "inversion_mismatch", .missingProofNode: "missing_proof_block",
        .recordCIDMismatch: "op_tree_mismatch", .oversizeBlocks: "blocks_too_large", .tooManyOps: "too_many_ops",
        .badBlockHash: "block_hash_mismatch", .revRollback: "rev_not_newer", .futureRev: "rev_in_future",
        .mismatchedRepo: "repo_mismatch", .missingCommitBlock: "missing_commit_block",
        .wrongHostAuthority: "host_authority", .malformedCBOR: "undecodable_frame",
    ]

    @Test("every good event arrives exactly once, in order per account; every fault is dropped with its reason")
    func exactlyOnce() async throws {
        let network = try await SimulatedNetwork.start(NetworkConfiguration(hostCount: 2, seed: 11, logger: quietLogger))
        let relay = try await startRelay(network)
        do {
            for host in network.hosts {
                guard try await eventually({ host.sequencer.subscriberCount > 0 }) else {
                    throw TestFailure("relay not connected to \(host.hostname)")
                }
            }
            let accounts = try await network.populate(accounts: 12)
            // Expected per account: its setup events, then every commit that was not faulted.
            var expectedCommits: [String: [String]] = [:]
            var injected: [String: UInt64] = [:]
            let faults = Array(Self.reasons.keys).sorted { $0.rawValue < $1.rawValue }
            for round in 0..<240 {
                let account = accounts[round % accounts.count]
                if round % 6 == 5 {
                    let fault = faults[(round / 6) % faults.count]
                    let outcome = try await network.write(account.did, [.post], fault: fault)
                    #expect(!outcome.applied)
                    injected[Self.reasons[fault] ?? "?", default: 0] += 1
                } else {
                    let outcome = try await network.write(account.did, [round % 3 == 0 ? .like : .post])
                    expectedCommits[account.did, default: []].append(outcome.rev)
                }
            }
            let setupEvents = accounts.count * 3  // #identity, #account, first commit
            let total = setupEvents + expectedCommits.values.reduce(0) { $0 + $1.count }
            let frames = try await collect(port: relay.port, cursor: 0, count: total)
            let seqs = frames.compactMap(\.seq)
            #expect(seqs == seqs.sorted() && Set(seqs).count == seqs.count)
            var received: [String: [String]] = [:]
            for frame in frames {
                if case .commit(let commit) = frame { received[commit.repo, default: []].append(commit.rev) }
            }
            for account in accounts {
                // The first commit (profile) comes from account creation; the rest must match exactly.
                let revs = received[account.did] ?? []
                #expect(Array(revs.dropFirst()) == (expectedCommits[account.did] ?? []), "\(account.did)")
            }
            // A `repo` naming another account is judged by that account's state first (its host, its rev), so
            // it may drop as host_authority or rev_not_newer before the commit's own `did` is compared.
            // Drops are counted when their event is handled, which can finish after the last good event reached
            // the subscriber (events of different accounts are verified in parallel): wait for every injected
            // fault's drop (a malformed frame may go unseen, see below).
            let expectedDrops = Int(injected.filter { $0.key != "undecodable_frame" }.values.reduce(0, +))
            var statistics = relay.relay.statistics.snapshot
            let deadline = ContinuousClock.now + .seconds(10)
            while Self.drops(statistics.dropped) < expectedDrops, ContinuousClock.now < deadline {
                try await Task.sleep(for: .milliseconds(20))
                statistics = relay.relay.statistics.snapshot
            }
            let mismatched = Int64(injected.removeValue(forKey: "repo_mismatch") ?? 0)
            // A malformed frame is corruption in transit: it goes only to connections open at that moment, and
            // the relay reconnects after each one, so one injected while it reconnects is never seen.
            let malformed = Int64(injected.removeValue(forKey: "undecodable_frame") ?? 0)
            var unexplained = statistics.dropped.mapValues { Int64($0) }
            let undecodable = unexplained.removeValue(forKey: "undecodable_frame") ?? 0
            #expect(undecodable >= 1 && undecodable <= malformed, "\(statistics.dropped)")
            for (reason, count) in injected {
                #expect((unexplained[reason] ?? 0) >= Int64(count), "drops of \(reason): \(statistics.dropped)")
                unexplained[reason, default: 0] -= Int64(count)
            }
            let explainedByRepo = ["repo_mismatch", "host_authority", "rev_not_newer"].reduce(Int64(0)) {
                $0 + (unexplained.removeValue(forKey: $1) ?? 0)
            }
            #expect(explainedByRepo == mismatched, "\(statistics.dropped)")
            #expect(unexplained.values.allSatisfy { $0 == 0 }, "unexpected drops: \(unexplained)")
            // Nothing beyond the expected events.
            try await Task.sleep(for: .milliseconds(300))
            #expect(relay.log.eventCount == UInt64(total))
        } catch {
            await relay.stop()
            await network.shutdown()
            throw error
        }
        await relay.stop()
        await network.shutdown()
    }

    @Test("a subscriber that reconnects with its cursor continues without gap or duplicate; shards partition the stream; stripped commits still verify")
    func cursorShardsAndStripping() async throws {
        let network = try await SimulatedNetwork.start(NetworkConfiguration(hostCount: 1, seed: 12, logger: quietLogger))
        let relay = try await startRelay(network)
        do {
            let accounts = try await network.populate(accounts: 8)
            for round in 0..<80 { try await network.write(accounts[round % accounts.count].did, [.post]) }
            let total = accounts.count * 3 + 80
            guard try await eventually({ relay.log.eventCount == UInt64(total) }) else {
                throw TestFailure("relay has \(relay.log.eventCount) of \(total) events")
            }
            let all = try await collect(port: relay.port, cursor: 0, count: total)
            // Reconnect halfway with the last seen seq.
            let firstHalf = try await collect(port: relay.port, cursor: 0, count: total / 2)
            let resumeAt = try #require(firstHalf.last?.seq)
            let secondHalf = try await collect(port: relay.port, cursor: resumeAt, count: total - total / 2)
            #expect((firstHalf + secondHalf).map(\.fingerprint) == all.map(\.fingerprint))
            // Four shards: disjoint, and together the whole stream.
            var union: [FirehoseFrame] = []
            for index in 0..<4 {
                let shard = try ShardSelection(count: 4, index: index)
                let filter = try ShardFilter(index: index, count: 4)
                let expected = all.filter { frame in frame.did.map { filter.contains(ShardHash.of(did: $0)) } ?? false }
                let frames = try await collect(port: relay.port, cursor: 0, count: expected.count, shard: shard)
                #expect(frames.map(\.fingerprint) == expected.map(\.fingerprint))
                union += frames
            }
            #expect(union.count == all.count)
            #expect(Set(union.map(\.fingerprint)) == Set(all.map(\.fingerprint)))
            // Stripped: no MST nodes, but the signed commit is there and verifies with the account's key.
            let stripped = try await collect(port: relay.port, cursor: 0, count: total, stripProofs: true)
            var verified = 0
            for frame in stripped {
                guard case .commit(let commit) = frame,
                    let full = all.first(where: { $0.commitMessage?.commit == commit.commit })?.commitMessage
                else { continue }
                #expect(commit.blocks.count <= full.blocks.count)
                let car = try CARFile(commit.blocks, limits: .commitDiff)
                let block = try #require(car[commit.commit])
                let signed = try Commit(block: block)
                let key = try #require(await network.account(commit.repo)?.signingKey)
                #expect(signed.isSigned(by: key))
                verified += 1
            }
            #expect(verified == accounts.count + 80)
        } catch {
            await relay.stop()
            await network.shutdown()
            throw error
        }
        await relay.stop()
        await network.shutdown()
    }

    @Test("a relay restart mid-run loses and duplicates nothing")
    func restart() async throws {
        let network = try await SimulatedNetwork.start(NetworkConfiguration(hostCount: 2, seed: 13, logger: quietLogger))
        let directory = (NSTemporaryDirectory() as NSString).appendingPathComponent("e2e-restart-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        var relay = try await startRelay(network, directory: directory)
        do {
            let accounts = try await network.populate(accounts: 10)
            for round in 0..<60 { try await network.write(accounts[round % accounts.count].did, [.post]) }
            guard try await eventually({ relay.log.eventCount >= 40 }) else { throw TestFailure("no progress") }
            await relay.stop()
            // Written while the relay is down; read after the restart from the stored cursors.
            for round in 0..<60 { try await network.write(accounts[round % accounts.count].did, [.like]) }
            relay = try await startRelay(network, directory: directory)
            let total = accounts.count * 3 + 120
            let frames = try await collect(port: relay.port, cursor: 0, count: total)
            let fingerprints = frames.map(\.fingerprint)
            #expect(Set(fingerprints).count == total)
            let seqs = frames.compactMap(\.seq)
            #expect(seqs == seqs.sorted())
            try await Task.sleep(for: .milliseconds(300))
            #expect(relay.log.eventCount == UInt64(total))
        } catch {
            await relay.stop()
            await network.shutdown()
            throw error
        }
        await relay.stop()
        await network.shutdown()
    }
}

extension FirehoseFrame {
    var commitMessage: CommitMessage? {
        if case .commit(let message) = self { return message }
        return nil
    }
}
