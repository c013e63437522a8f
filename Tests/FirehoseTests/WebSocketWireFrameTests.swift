import Firehose
import NIOCore
import NIOEmbedded
import NIOWebSocket
import Testing

/// Frames built once for every subscriber must be byte for byte what NIO's own frame encoder writes.
struct WebSocketWireFrameTests {
    /// What `WebSocketFrameEncoder` puts on the wire for one unmasked binary frame.
    static func encodedByNIO(_ payload: [UInt8], rsv1: Bool) throws -> [UInt8] {
        let channel = EmbeddedChannel(handler: WebSocketFrameEncoder())
        defer { _ = try? channel.finish() }
        let frame = WebSocketFrame(fin: true, rsv1: rsv1, opcode: .binary, data: ByteBuffer(bytes: payload))
        try channel.writeOutbound(frame)
        var wire: [UInt8] = []
        while let part = try channel.readOutbound(as: ByteBuffer.self) { wire += part.readableBytesView }
        return wire
    }

    @Test("headers of every length class, with and without RSV1, match NIO's encoder", arguments: [
        0, 1, 125, 126, 127, 65_535, 65_536, 200_000,
    ])
    func matchesNIO(length: Int) throws {
        let payload = (0..<length).map { UInt8(truncatingIfNeeded: $0 &* 31) }
        for compressed in [false, true] {
            let ours = WebSocketWireFrame.make(payload, compressed: compressed)
            #expect(Array(ours.readableBytesView) == (try Self.encodedByNIO(payload, rsv1: compressed)))
            #expect(ours.readableBytes == WebSocketWireFrame.headerLength(payloadLength: length) + length)
            #expect(Array(WebSocketWireFrame.payload(of: ours).readableBytesView) == payload)
        }
    }
}
