import ATData
@testable import ATRepo
import Testing

/// Random write batches on random trees produce commits that verify; every injected fault fails with its reason.
@Suite struct CommitVerificationPropertyTests {
    static func fields(_ product: RepoCommitProduct, repo: String) -> CommitEventFields {
        CommitEventFields(repo: repo, rev: product.commit.rev, commit: product.commitCID, since: product.since,
                          prevData: product.prevData, ops: product.ops, blocks: product.blocks)
    }

    static func verify(_ fields: CommitEventFields) throws(CommitVerificationFailure) -> VerifiedCommit {
        try CommitVerifier.verify(fields, signatureCheck: RepoFixtures.testCheck)
    }

    /// Picks a random batch of 1…10 writes against the writer's current keys.
    static func randomBatch(_ rng: inout SeededRandom, live: inout [String], next: inout Int) -> [RepoWrite] {
        var writes: [RepoWrite] = []
        var touched = Set<String>()
        for _ in 0..<Int.random(in: 1...10, using: &rng) {
            let roll = Int.random(in: 0..<10, using: &rng)
            if roll < 5 || live.isEmpty {
                let path = "app.bsky.feed.post/r\(next)"
                next += 1
                writes.append(.create(path: path, record: RepoFixtures.record(next)))
                live.append(path)
                touched.insert(path)
            } else if let index = live.indices.randomElement(using: &rng), !touched.contains(live[index]) {
                let path = live[index]
                touched.insert(path)
                if roll < 8 {
                    writes.append(.update(path: path, record: RepoFixtures.record(next, text: "edit")))
                    next += 1
                } else {
                    writes.append(.delete(path: path))
                    live.remove(at: index)
                }
            }
        }
        return writes
    }

    @Test func randomCommitsVerifyAndFaultsAreCaught() throws {
        var rng = SeededRandom(state: 2026)
        var cases = 0
        var faults = 0
        for repoIndex in 0..<8 {
            let did = "did:plc:test\(repoIndex)aaaaaaaaaaaaaaaaa"
            let writer = RepoWriter(did: did, sign: RepoFixtures.testSign)
            var revs = TestRevs()
            var live: [String] = []
            var next = 0
            // Grow a random-size tree first.
            let initial = (0..<Int.random(in: 0...400, using: &rng)).map { index -> RepoWrite in
                live.append("app.bsky.feed.like/i\(index)")
                return .create(path: "app.bsky.feed.like/i\(index)", record: RepoFixtures.record(index))
            }
            if !initial.isEmpty { _ = try writer.apply(initial, rev: revs.next()) }
            for _ in 0..<130 {
                let batch = Self.randomBatch(&rng, live: &live, next: &next)
                let product = try writer.apply(batch, rev: revs.next())
                let fields = Self.fields(product, repo: did)
                let verified = try Self.verify(fields)
                #expect(verified.invertedToPrevData)
                #expect(verified.commit.data == writer.dataCID)
                cases += 1
                faults += try injectFaults(fields, product: product, rng: &rng)
            }
        }
        #expect(cases >= 1_000)
        #expect(faults >= 3_000)
    }

    /// Applies each fault to a copy of a valid message and checks the failure reason; returns how many ran.
    func injectFaults(_ fields: CommitEventFields, product: RepoCommitProduct, rng: inout SeededRandom) throws -> Int {
        var count = 0
        let car = try CARFile(fields.blocks, limits: .commitDiff)
        // 1. Remove one required proof node (each read by verification): must fail as a missing block.
        let required = try CommitProof.requiredNodes(ops: fields.ops, newRoot: product.commit.data,
                                                     store: car)
        if let victim = required.randomElement(using: &rng) {
            var broken = fields
            broken.blocks = CARWriter.encode(
                roots: car.roots,
                blocks: car.blocks.filter { $0.cid != victim }.map { ($0.cid, Array(car.bytes[$0.dataRange])) })
            #expect(throws: CommitVerificationFailure.missingBlock(victim)) { try Self.verify(broken) }
            count += 1
        }
        // 2. Flip a record CID in one op: the tree no longer agrees with the op.
        if let index = fields.ops.indices.filter({ fields.ops[$0].cid != nil }).randomElement(using: &rng) {
            var broken = fields
            broken.ops[index].cid = CID.compute(of: [0x01, UInt8(index & 0xff)])
            #expect(throws: CommitVerificationFailure.opTreeMismatch(fields.ops[index].path)) {
                try Self.verify(broken)
            }
            count += 1
        }
        // 3. Change prevData: inversion lands elsewhere.
        var wrongPrev = fields
        let bogus = CID.compute(of: [0x02])
        wrongPrev.prevData = bogus
        do {
            _ = try Self.verify(wrongPrev)
            Issue.record("changed prevData verified")
        } catch {
            #expect(error.reason == "inversion_mismatch")
        }
        count += 1
        // 4. Break the signature.
        var badSig = fields
        var commitBytes = Array(try #require(car[fields.commit]))
        commitBytes[commitBytes.count - 20] ^= 0x40  // inside the data link or signature
        let forged = CID.compute(of: commitBytes)
        badSig.commit = forged
        badSig.blocks = CARWriter.encode(
            roots: [forged],
            blocks: [(forged, commitBytes)] + car.blocks.filter { $0.cid != fields.commit }
                .map { ($0.cid, Array(car.bytes[$0.dataRange])) })
        #expect(throws: CommitVerificationFailure.self) { try Self.verify(badSig) }
        count += 1
        return count
    }

    @Test func firstCommitWithoutPrevDataVerifiesWithoutInversion() throws {
        let writer = RepoWriter(did: "did:plc:first", sign: RepoFixtures.testSign)
        let product = try writer.apply([.create(path: "app.bsky.feed.post/a", record: RepoFixtures.record(1))],
                                       rev: "3kaaaaaaaaaa2")
        var fields = Self.fields(product, repo: "did:plc:first")
        fields.prevData = nil
        #expect(try Self.verify(fields).invertedToPrevData == false)
    }

    @Test func structuralFaultsHaveReasons() throws {
        let writer = RepoWriter(did: "did:plc:shape", sign: RepoFixtures.testSign)
        var revs = TestRevs()
        _ = try writer.apply((0..<50).map { .create(path: "app.bsky.feed.post/k\($0)", record: RepoFixtures.record($0)) },
                             rev: revs.next())
        let product = try writer.apply([.create(path: "app.bsky.feed.post/new", record: RepoFixtures.record(99))],
                                       rev: revs.next())
        let fields = Self.fields(product, repo: "did:plc:shape")
        var wrongRepo = fields
        wrongRepo.repo = "did:plc:other"
        #expect(throws: CommitVerificationFailure.repoMismatch) { try Self.verify(wrongRepo) }
        var wrongRev = fields
        wrongRev.rev = "3kaaaaaaaaaa2"
        #expect(throws: CommitVerificationFailure.revMismatch) { try Self.verify(wrongRev) }
        var wrongCommit = fields
        wrongCommit.commit = CID.compute(of: [0xa0])
        #expect(throws: CommitVerificationFailure.commitCIDMismatch) { try Self.verify(wrongCommit) }
        var badOp = fields
        badOp.ops[0].prev = badOp.ops[0].cid
        #expect(throws: CommitVerificationFailure.invalidOp("create needs cid and no prev: app.bsky.feed.post/new")) {
            try Self.verify(badOp)
        }
        var duplicate = fields
        duplicate.ops.append(fields.ops[0])
        #expect(throws: CommitVerificationFailure.invalidOp("duplicate path app.bsky.feed.post/new")) {
            try Self.verify(duplicate)
        }
        var tooMany = fields
        tooMany.ops = Array(repeating: fields.ops[0], count: 201)
        #expect(throws: CommitVerificationFailure.tooManyOps(201)) { try Self.verify(tooMany) }
        var tampered = fields
        tampered.blocks[tampered.blocks.count - 3] ^= 0x01
        #expect(throws: CommitVerificationFailure.self) { try Self.verify(tampered) }
        #expect(!RepoFixtures.testCheck(Commit(did: "did:plc:shape", data: product.commit.data, rev: "x",
                                               signature: product.commit.signature)))
    }
}
