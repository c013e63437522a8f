import ATCrypto
import ATData
import ATRepo
import Firehose
import Simulator
import Testing

@Suite("Fault injection")
struct FaultTests {
    /// The check each fault must trip, as asserted on the frame the subscriber received.
    static func expectRejected(_ fault: Fault, _ message: CommitMessage, key: PublicKey, previousRev: String,
                               emittedBy hostname: String, account: SimulatedAccount)
    {
        let result = failure(message, key: key)
        switch fault {
        case .badSignature: #expect(result == .badSignature)
        case .brokenProof:
            guard case .inversionMismatch = result else { Issue.record("brokenProof: \(String(describing: result))"); return }
        case .missingProofNode:
            guard case .missingBlock = result else { Issue.record("missingProofNode: \(String(describing: result))"); return }
        case .recordCIDMismatch:
            guard case .opTreeMismatch = result else { Issue.record("recordCIDMismatch: \(String(describing: result))"); return }
        case .oversizeBlocks:
            guard case .blocksTooLarge(let size) = result, size > 2_000_000 else {
                Issue.record("oversizeBlocks: \(String(describing: result))")
                return
            }
        case .tooManyOps: #expect(result == .tooManyOps(201))
        case .badBlockHash:
            guard case .car(.hashMismatch) = result else { Issue.record("badBlockHash: \(String(describing: result))"); return }
        case .mismatchedRepo: #expect(result == .repoMismatch)
        case .missingCommitBlock: #expect(result == .missingCommitBlock)
        case .wrongHostAuthority:
            // Valid in itself; the relay's host check must catch it.
            #expect(result == nil)
            #expect(hostname != account.hostname)
        case .revRollback:
            #expect(result == nil)
            #expect(message.rev < previousRev)
        case .futureRev:
            #expect(result == nil)
            let rev = try? TID(message.rev)
            let limit = TIDClock.systemMicroseconds() + 5 * 60 * 1_000_000
            #expect((rev?.microsecondsSinceEpoch ?? 0) > limit)
        case .malformedCBOR:
            Issue.record("malformedCBOR frames do not decode")
        }
    }

    @Test("every fault yields a frame its check rejects, and the next good write verifies and chains")
    func everyFault() async throws {
        try await withNetwork { network in
            let account = try await network.createAccount(on: network.hosts[0], curve: .k256)
            _ = try await network.createAccount(on: network.hosts[1], curve: .p256)
            let host = network.hosts[0]
            let other = network.hosts[1]
            // A live subscriber on each host (malformed frames only reach connected subscribers).
            let headBefore = host.headSeq
            let plan = Fault.allCases
            #expect(plan.count == 13)
            // Each fault is followed by a good write; wrongHostAuthority's frame appears on the other host.
            let expectedOnHost = headBefore + Int64(plan.count * 2) - 2  // no seq for malformedCBOR and wrongHost
            let collector = Task {
                try await collect(host, cursor: 0, seconds: 60) { lastSeq($0) == expectedOnHost }
            }
            let otherHead = other.headSeq
            let otherCollector = Task {
                try await collect(other, cursor: otherHead) { lastSeq($0) == otherHead + 1 }
            }
            while host.sequencer.subscriberCount == 0 || other.sequencer.subscriberCount == 0 {
                try await Task.sleep(for: .milliseconds(10))
            }
            var outcomes: [(fault: Fault, bad: WriteOutcome, good: WriteOutcome, previousRev: String)] = []
            for fault in plan {
                let before = try #require(await network.account(account.did))
                let bad = try await network.write(account.did, [.post], fault: fault)
                #expect(!bad.applied)
                let unchanged = try #require(await network.account(account.did))
                #expect(unchanged.rev == before.rev && unchanged.dataCID == before.dataCID)
                let good = try await network.write(account.did, [.like])
                #expect(good.applied)
                let goodCommit = try #require(good.event.commit)
                #expect(goodCommit.since == before.rev)
                #expect(goodCommit.prevData == before.dataCID)
                outcomes.append((fault, bad, good, try #require(before.rev)))
            }
            let events = try await collector.value
            let otherEvents = try await otherCollector.value
            let undecodable = events.filter { if case .undecodable = $0 { true } else { false } }
            #expect(undecodable.count == 1)

            try await withResolver(network) { resolver in
                let key = try #require(try await resolver.resolve(account.did).signingKey)
                let snapshot = try #require(await network.account(account.did))
                var checked = 0
                for outcome in outcomes {
                    let good = try #require(frames(events).first { $0.seq == outcome.good.event.seq })
                    guard case .commit(let goodMessage) = good else { throw TestFailure("good write not a commit") }
                    #expect(failure(goodMessage, key: key) == nil)
                    if outcome.fault == .malformedCBOR {
                        #expect(outcome.bad.event.seq == nil)
                        #expect(throws: FrameError.self) { _ = try FrameDecoder.decode(outcome.bad.event.bytes) }
                        checked += 1
                        continue
                    }
                    let source = outcome.fault == .wrongHostAuthority ? otherEvents : events
                    let frame = try #require(frames(source).first { $0.seq == outcome.bad.event.seq })
                    guard case .commit(let badMessage) = frame else { throw TestFailure("\(outcome.fault) not a commit") }
                    Self.expectRejected(outcome.fault, badMessage, key: key, previousRev: outcome.previousRev,
                                        emittedBy: outcome.bad.event.hostname, account: snapshot)
                    checked += 1
                }
                #expect(checked == plan.count)
            }
        }
    }

    @Test("the random workload mixes faults in at the asked rate and every good commit still verifies")
    func workloadFaults() async throws {
        try await withNetwork { network in
            try await network.populate(accounts: 3)
            let stats = await network.generate(events: 120, faultRate: 0.25, faults: [.badSignature, .brokenProof])
            let faulted = stats.faults.values.reduce(0, +)
            #expect(faulted > 10 && faulted < 60)
            #expect(stats.commits + stats.lifecycleEvents + faulted + stats.skipped == 120)
            try await withResolver(network) { resolver in
                var good = 0
                var bad = 0
                for host in network.hosts {
                    let head = host.headSeq
                    let events = try await collect(host, cursor: 0) { lastSeq($0) == head }
                    for frame in frames(events) {
                        guard case .commit(let message) = frame else { continue }
                        let key = try #require(try await resolver.resolve(message.repo).signingKey)
                        if failure(message, key: key) == nil { good += 1 } else { bad += 1 }
                    }
                }
                #expect(bad == faulted)
                #expect(good == stats.commits + 3)
            }
        }
    }
}
