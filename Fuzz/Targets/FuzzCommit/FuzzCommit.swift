import ATCrypto
import ATData
import ATRepo
import Firehose
import FuzzSupport

// #commit and #sync verification as the relay runs it: frame decode, CAR and commit block, signature (against the
// seeds' fixed key), op checks, the new tree's contents and the Sync 1.1 inversion to prevData.
// Invariants: verification is deterministic (a second run gives the same commit and outcome); a verified commit
// stripped of its proof nodes still carries the same signed commit and records.

let publicKey: PublicKey? = try? SampleFrames.signingKey().publicKey

@_cdecl("LLVMFuzzerInitialize")
public func initialize(_ argc: UnsafeMutablePointer<CInt>?, _ argv: FuzzArguments) -> CInt {
    FuzzSeeds.writeIfRequested { try SampleFrames.allFrames() }
    return 0
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    guard let publicKey else { return 0 }
    let bytes = FuzzInput.bytes(data, size)
    switch try? FrameDecoder.decode(bytes) {
    case .commit(let message):
        verifyCommit(message, key: publicKey)
    case .sync(let message):
        let first = try? CommitVerifier.signedCommit(blocks: message.blocks, expectedRoot: nil, repo: message.did,
                                                     rev: message.rev)
        if let first {
            _ = first.commit.isSigned(by: publicKey)
        }
    default:
        break
    }
    return 0
}

func verifyCommit(_ message: CommitMessage, key: PublicKey) {
    let fields = CommitEventFields(
        repo: message.repo, rev: message.rev, commit: message.commit, since: message.since,
        prevData: message.prevData, ops: message.ops, blocks: message.blocks)
    let first = Result { () throws(CommitVerificationFailure) in
        try CommitVerifier.verify(fields, signatureCheck: { $0.isSigned(by: key) })
    }
    let second = Result { () throws(CommitVerificationFailure) in
        try CommitVerifier.verify(fields, signatureCheck: { $0.isSigned(by: key) })
    }
    switch (first, second) {
    case (.success(let one), .success(let two)):
        FuzzInput.require(one.commitCID == two.commitCID && one.invertedToPrevData == two.invertedToPrevData,
                          "verifying the same commit twice gave different results")
        guard let stripped = try? ProofStripper.strip(message) else {
            FuzzInput.require(false, "a verified commit could not be stripped")
            return
        }
        let signed = try? CommitVerifier.signedCommit(
            blocks: stripped.blocks, expectedRoot: message.commit, repo: message.repo, rev: message.rev)
        FuzzInput.require(signed?.cid == one.commitCID, "the stripped commit lost its signed commit block")
        FuzzInput.require(signed?.commit.isSigned(by: key) == true,
                          "the stripped commit's signature no longer verifies")
        for op in message.ops {
            guard let cid = op.cid else { continue }
            FuzzInput.require(signed?.car[cid] != nil, "the stripped commit lost the record of \(op.path)")
        }
    case (.failure(let one), .failure(let two)):
        FuzzInput.require("\(one)" == "\(two)", "verifying the same commit twice failed differently")
    default:
        FuzzInput.require(false, "verifying the same commit twice succeeded once and failed once")
    }
}

@_cdecl("FuzzCommit_main")
public func main(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    FuzzDriver.run(argc, argv, fuzzOneInput)
}
