import ATData
@testable import Firehose
import Testing

/// Shared permessage-deflate payloads: deterministic per input, and they inflate back exactly.
@Suite struct FrameCompressorTests {
    @Test func roundTripsAndIsDeterministic() throws {
        var state: UInt64 = 3
        for size in [0, 1, 100, 5_000, 200_000] {
            let input = (0..<size).map { index -> UInt8 in
                state = state &* 6364136223846793005 &+ 1
                return index % 7 == 0 ? UInt8(truncatingIfNeeded: state >> 50) : UInt8(index % 13)
            }
            let first = try FrameCompressor.deflate(input)
            let second = try FrameCompressor.deflate(input)
            #expect(first == second)
            #expect(try FrameCompressor.inflate(first) == input)
        }
    }

    @Test func commitFramesShrink() throws {
        let blocks = [UInt8](repeating: 0x61, count: 10_000)
        let frame = FrameEncoder.encode(CommitMessage(
            seq: 1, repo: "did:plc:abc", commit: CID.compute(of: [0xa0]), rev: "3kaaaaaaaaaa2", since: nil,
            blocks: blocks, ops: [], prevData: nil, time: "2026-11-25T00:00:00.000Z"))
        let compressed = try FrameCompressor.deflate(frame)
        #expect(compressed.count < frame.count / 10)
        #expect(throws: FrameCompressor.Failure.tooLarge) { try FrameCompressor.inflate(compressed, maxOutput: 1_000) }
    }
}
