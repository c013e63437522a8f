import ATData
import Firehose
import Testing

@testable import tributary

/// The benchmark consumers' one-field frame reader finds a field after the header or from a known body start, and
/// gives nil, not a crash, for a missing field or a cut frame.
@Suite struct FrameBodyFieldTests {
    @Test func readsOneFieldOfTheBody() throws {
        let time = "2026-11-25T16:00:00.000Z"
        let frame = FrameEncoder.encode(IdentityMessage(seq: 42, did: "did:plc:ewvi7nxzyoun6zhxrhs64oiz", time: time))
        let seq = FrameBodyField.read(frame, body: nil, named: "seq") { reader throws(DAGCBORError) in
            try reader.readInteger()
        }
        #expect(seq == 42)
        // From the body's start, as the ingest benchmark's reader knows it after checking the header.
        var header = try DAGCBORReader(frame)
        try header.skipValue()
        let found = FrameBodyField.read(frame, body: header.position, named: "time") { reader throws(DAGCBORError) in
            try reader.readString()
        }
        #expect(found == time)
        let missing = FrameBodyField.read(frame, body: nil, named: "rev") { reader throws(DAGCBORError) in
            try reader.readString()
        }
        #expect(missing == nil)
        let cut = Array(frame.dropLast(5))
        let fromCut = FrameBodyField.read(cut, body: nil, named: "time") { reader throws(DAGCBORError) in
            try reader.readString()
        }
        #expect(fromCut == nil)
    }
}
