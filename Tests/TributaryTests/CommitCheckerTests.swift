import ATData
import ATIdentity
import ATRepo
import Firehose
import Simulator
import Testing

@testable import tributary

@Suite("tail --verify checks")
struct CommitCheckerTests {
    /// The commits of `outcomes` as the simulator emitted them.
    func commit(_ outcome: WriteOutcome) throws -> CommitMessage {
        try #require(outcome.event.commit)
    }

    @Test("stripped commits: the signature still verifies, a forged one fails; the MST proof cannot be checked")
    func strippedCommits() async throws {
        try await withNetwork(seed: 5) { network in
            let account = try await network.createAccount()
            let good = try commit(try await network.write(account.did, [.post, .like]))
            let forged = try commit(try await network.write(account.did, [.post], fault: .badSignature))
            let broken = try commit(try await network.write(account.did, [.post], fault: .brokenProof))
            let key = account.signingKey
            #expect(CommitChecker.check(good, key: key, stripped: false) == .verified(.full))
            #expect(CommitChecker.check(try ProofStripper.strip(good), key: key, stripped: true) == .verified(.signature))
            #expect(CommitChecker.check(try ProofStripper.strip(forged), key: key, stripped: true)
                == .failed(reason: "bad_signature", detail: nil))
            // Without the MST nodes a full check cannot run …
            guard case .failed(let reason, _) = CommitChecker.check(try ProofStripper.strip(good), key: key,
                                                                     stripped: false)
            else { throw TestFailure("a stripped commit passed the full check") }
            #expect(reason == "missing_proof_block")
            // … and a broken proof is only caught by the full check: stripped mode trusts the relay for it.
            guard case .failed(let brokenReason, _) = CommitChecker.check(broken, key: key, stripped: false) else {
                throw TestFailure("a broken proof passed the full check")
            }
            #expect(brokenReason == "inversion_mismatch")
            #expect(CommitChecker.check(try ProofStripper.strip(broken), key: key, stripped: true)
                == .verified(.signature))
            // A stripped commit whose record block is gone, or whose repo is not the signer, fails.
            var missingRecord = try ProofStripper.strip(good)
            missingRecord.blocks = ProofStripper.strippedBlocks(
                commit: good.commit, ops: [], car: try CARFile(good.blocks, limits: .commitDiff))
            #expect(CommitChecker.check(missingRecord, key: key, stripped: true)
                == .failed(reason: "missing_record_block", detail: good.ops[0].path))
            var otherRepo = try ProofStripper.strip(good)
            otherRepo.repo = "did:plc:44ybard66vv44zksje25o7dz"
            #expect(CommitChecker.check(otherRepo, key: key, stripped: true)
                == .failed(reason: "repo_mismatch", detail: nil))
        }
    }

    @Test("a signature failure re-resolves once: a silent key rotation still verifies; unknown DIDs fail")
    func rotationAndUnknownDID() async throws {
        try await withNetwork(seed: 6) { network in
            let account = try await network.createAccount()
            try await withResolver(network) { resolver in
                let directory = IdentityDirectory(
                    resolver: resolver, configuration: DirectoryConfiguration(minimumRefreshInterval: .zero))
                let checker = CommitChecker(directory: directory, stripped: false)
                let first = try commit(try await network.write(account.did, [.post]))
                #expect(await checker.check(first) == .verified(.full))
                try await network.rotateKey(account.did, announce: false)
                let second = try commit(try await network.write(account.did, [.post]))
                #expect(await checker.check(second) == .verified(.full))
                let forged = try commit(try await network.write(account.did, [.post], fault: .badSignature))
                #expect(await checker.check(forged) == .failed(reason: "bad_signature", detail: nil))
                var stranger = second
                stranger.repo = "did:plc:44ybard66vv44zksje25o7dz"
                guard case .failed(let reason, let detail) = await checker.check(stranger) else {
                    throw TestFailure("an unknown DID verified")
                }
                #expect(reason == "identity_unavailable")
                #expect(detail == "notFound")
            }
        }
    }
}
