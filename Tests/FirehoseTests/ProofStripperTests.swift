import ATData
import ATRepo
import Crypto
@testable import Firehose
import Testing

/// Stripped commits keep the signed commit and the op records, drop MST nodes, change no other field.
@Suite struct ProofStripperTests {
    static func sign(_ bytes: [UInt8]) -> [UInt8] {
        let first = Array(SHA256.hash(data: bytes))
        return first + Array(SHA256.hash(data: first))
    }

    @Test func strippedCommitKeepsSignatureAndRecords() throws {
        let writer = RepoWriter(did: "did:plc:strip", sign: Self.sign)
        let record = { (index: Int) in DAGCBOR.encode(["$type": "app.bsky.feed.post", "text": .string("r\(index)")]) }
        _ = try writer.apply((0..<2_000).map { .create(path: "app.bsky.feed.post/p\($0)", record: record($0)) },
                             rev: "3kaaaaaaaaaa2")
        let product = try writer.apply(
            [.create(path: "app.bsky.feed.post/new", record: record(-1)),
             .update(path: "app.bsky.feed.post/p5", record: record(-5)),
             .delete(path: "app.bsky.feed.post/p9")],
            rev: "3kaaaaaaaaaa3")
        let message = CommitMessage(seq: 5, repo: "did:plc:strip", commit: product.commitCID, rev: "3kaaaaaaaaaa3",
                                    since: product.since, blocks: product.blocks, ops: product.ops,
                                    prevData: product.prevData, time: "2026-11-25T00:00:00.000Z")
        let stripped = try ProofStripper.strip(message)
        #expect(stripped.blocks.count < message.blocks.count)
        var unchanged = stripped
        unchanged.blocks = message.blocks
        #expect(unchanged == message)

        let car = try CARFile(stripped.blocks, limits: .commitDiff)
        #expect(car.roots == [product.commitCID])
        #expect(car.blocks.count == 3)  // commit + created record + updated record
        let commit = try Commit(block: try #require(car[product.commitCID]))
        #expect(commit.signature == Self.sign(commit.unsignedBytes))
        for op in product.ops where op.action != .delete {
            let cid = try #require(op.cid)
            let block = try #require(car[cid])
            #expect(cid.matches(Array(block)))
        }
        // The stripped frame still decodes, and full verification is (by design) no longer possible.
        let frame = try FrameDecoder.decode(FrameEncoder.encode(stripped))
        #expect(frame == .commit(stripped))
        let fields = CommitEventFields(repo: stripped.repo, rev: stripped.rev, commit: stripped.commit,
                                       since: stripped.since, prevData: stripped.prevData, ops: stripped.ops,
                                       blocks: stripped.blocks)
        #expect(throws: CommitVerificationFailure.self) {
            try CommitVerifier.verify(fields) { _ in true }
        }
    }
}
