import ATData
import ATRepo
import Crypto
@testable import Firehose
import Foundation
import Testing

/// Frame encoding/decoding of every message type, canonical bytes, real samples, malformed frames.
@Suite struct FrameCodecTests {
    static let shared = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("../shared").standardizedFileURL

    static let cid = CID.compute(of: [0xa0])

    static let samples: [FirehoseFrame] = [
        .commit(CommitMessage(seq: 42, repo: "did:plc:abc", commit: cid, rev: "3kaaaaaaaaaa2", since: nil,
                              blocks: [1, 2, 3],
                              ops: [RepoOp(action: .create, path: "app.bsky.feed.post/a", cid: cid, prev: nil),
                                    RepoOp(action: .update, path: "app.bsky.feed.post/b", cid: cid, prev: cid),
                                    RepoOp(action: .delete, path: "app.bsky.feed.post/c", cid: nil, prev: cid)],
                              prevData: cid, time: "2026-11-25T00:00:00.000Z")),
        .commit(CommitMessage(seq: 1 << 45, repo: "did:web:example.com", commit: cid, rev: "3kaaaaaaaaaa3",
                              since: "3kaaaaaaaaaa2", blocks: [], ops: [], prevData: nil,
                              time: "2026-11-25T00:00:00Z", rebase: false, tooBig: false)),
        .sync(SyncMessage(seq: 7, did: "did:plc:abc", blocks: [9, 9], rev: "3kaaaaaaaaaa2", time: "2026-01-01T00:00:00Z")),
        .identity(IdentityMessage(seq: 8, did: "did:plc:abc", time: "2026-01-01T00:00:00Z", handle: "alice.test")),
        .identity(IdentityMessage(seq: 9, did: "did:plc:abc", time: "2026-01-01T00:00:00Z")),
        .account(AccountMessage(seq: 10, did: "did:plc:abc", time: "2026-01-01T00:00:00Z", active: false,
                                status: "takendown")),
        .account(AccountMessage(seq: 11, did: "did:plc:abc", time: "2026-01-01T00:00:00Z", active: true)),
        .info(InfoMessage(name: "OutdatedCursor", message: "cursor from epoch 1000")),
        .error(ErrorMessage(error: "FutureCursor", message: "cursor in the future")),
        .error(ErrorMessage(error: "ConsumerTooSlow")),
    ]

    @Test func everyMessageTypeRoundTrips() throws {
        for frame in Self.samples {
            let bytes = FrameEncoder.encode(frame)
            #expect(try FrameDecoder.decode(bytes) == frame)
            // Both items are canonical DAG-CBOR: re-encoding the generic tree gives the same bytes.
            var reader = try DAGCBORReader(bytes)
            let header = try reader.readValue()
            let body = try reader.readValue()
            #expect(DAGCBOR.encode(header) + DAGCBOR.encode(body) == bytes)
        }
    }

    @Test func commitHeaderBytes() throws {
        let bytes = FrameEncoder.encode(Self.samples[0])
        #expect(Hex.encode(bytes.prefix(15)) == "a261746723636f6d6d6974626f7001")
        #expect(Hex.encode(FrameEncoder.encode(Self.samples[8]).prefix(4)) == "a1626f70")
    }

    @Test func realCommitsReencodeByteForByte() throws {
        let folder = Self.shared.appendingPathComponent("realdata/firehose")
        let names = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(".json") }
        #expect(names.count == 4)
        for name in names {
            var body = try DataValue(json: try Data(contentsOf: folder.appendingPathComponent(name)))
            guard case .map(var map) = body else { Issue.record("not a map"); continue }
            map["blobs"] = .array([])  // null in the samples; the lexicon says an array
            map["prev"] = nil  // the legacy commit-level prev, removed from the lexicon; relays drop it
            body = .map(map)
            var writer = DAGCBORWriter()
            FrameHeader.message("#commit").encode(into: &writer)
            writer.write(body)
            let frame = try FrameDecoder.decode(writer.bytes)
            guard case .commit(let message) = frame else {
                Issue.record("\(name) did not decode as a commit")
                continue
            }
            #expect(message.repo == map["repo"]?.stringValue)
            let reencoded = FrameEncoder.encode(message)
            #expect(reencoded.count == writer.bytes.count && reencoded == writer.bytes, "\(name)")
        }
    }

    @Test func unknownAndMalformedFrames() throws {
        var writer = DAGCBORWriter()
        FrameHeader.message("#future").encode(into: &writer)
        writer.write(["anything": 1])
        #expect(try FrameDecoder.decode(writer.bytes) == .unknown(op: 1, type: "#future"))
        var otherOp = DAGCBORWriter()
        otherOp.write(["op": 2])
        otherOp.write([:])
        #expect(try FrameDecoder.decode(otherOp.bytes) == .unknown(op: 2, type: nil))

        let good = FrameEncoder.encode(Self.samples[0])
        #expect(throws: FrameError.cbor(.trailingBytes)) { try FrameDecoder.decode(good + [0x01]) }
        #expect(throws: FrameError.frameTooLarge(5_000_001)) {
            try FrameDecoder.decode([UInt8](repeating: 0, count: 5_000_001))
        }
        var noOp = DAGCBORWriter()
        noOp.write(["t": "#commit"])
        noOp.write([:])
        #expect(throws: FrameError.badHeader("missing op")) { try FrameDecoder.decode(noOp.bytes) }
        var missing = DAGCBORWriter()
        FrameHeader.message("#identity").encode(into: &missing)
        missing.write(["did": "did:plc:abc", "time": "2026-01-01T00:00:00Z"])
        #expect(throws: FrameError.missingField("seq")) { try FrameDecoder.decode(missing.bytes) }
        var badAction = DAGCBORWriter()
        FrameHeader.message("#commit").encode(into: &badAction)
        badAction.write(["ops": [["action": "explode", "path": "a/b", "cid": .null]]])
        #expect(throws: FrameError.invalidField("op action explode")) { try FrameDecoder.decode(badAction.bytes) }
        // Every truncation and random corruption is an error or a valid frame, never a crash.
        for cut in 0..<good.count {
            #expect(throws: FrameError.self) { try FrameDecoder.decode(Array(good[..<cut])) }
        }
        var state: UInt64 = 1
        for _ in 0..<2_000 {
            var mutated = good
            state = state &* 6364136223846793005 &+ 1442695040888963407
            mutated[Int(state >> 33) % mutated.count] = UInt8(truncatingIfNeeded: state >> 13)
            if let frame = try? FrameDecoder.decode(mutated) {
                #expect(frame.seq != nil || frame == .unknown(op: frame.unknownOp ?? 0, type: frame.unknownType))
            }
        }
    }
}

extension FirehoseFrame {
    var unknownOp: Int64? { if case .unknown(let op, _) = self { return op } else { return nil } }
    var unknownType: String? { if case .unknown(_, let type) = self { return type } else { return nil } }
}
