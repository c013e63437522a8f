import NIOCore

/// A server-to-client WebSocket binary message as it goes on the wire: the header (FIN, binary opcode, RSV1 when
/// the payload is permessage-deflate compressed, the unmasked length) followed by the payload.
///
/// A firehose event goes to every subscriber as the same bytes, so it is framed once when it is first sent and the
/// buffer shared, instead of each subscriber's connection building a header for it (see ``ChannelFrameWriter``).
public enum WebSocketWireFrame {
    /// Length of the header for a payload of `payloadLength` bytes (server frames carry no mask).
    public static func headerLength(payloadLength: Int) -> Int {
        payloadLength < 126 ? 2 : payloadLength <= 0xFFFF ? 4 : 10
    }

    /// The framed message for `payload`.
    public static func make(_ payload: UnsafeRawBufferPointer, compressed: Bool) -> ByteBuffer {
        let length = payload.count
        var buffer = ByteBufferAllocator().buffer(capacity: headerLength(payloadLength: length) + length)
        // FIN | RSV1 (compressed) | opcode 2 (binary).
        buffer.writeInteger(UInt8(compressed ? 0xC2 : 0x82))
        if length < 126 {
            buffer.writeInteger(UInt8(length))
        } else if length <= 0xFFFF {
            buffer.writeInteger(UInt8(126))
            buffer.writeInteger(UInt16(length))
        } else {
            buffer.writeInteger(UInt8(127))
            buffer.writeInteger(UInt64(length))
        }
        buffer.writeBytes(payload)
        return buffer
    }

    /// The framed message for `payload`.
    public static func make(_ payload: [UInt8], compressed: Bool) -> ByteBuffer {
        payload.withUnsafeBytes { make($0, compressed: compressed) }
    }

    /// The payload of a message made by ``make(_:compressed:)-(UnsafeRawBufferPointer,_)``, sharing its storage.
    public static func payload(of frame: ByteBuffer) -> ByteBuffer {
        guard let second = frame.getInteger(at: frame.readerIndex + 1, as: UInt8.self) else { return frame }
        let header = second < 126 ? 2 : second == 126 ? 4 : 10
        return frame.getSlice(at: frame.readerIndex + header, length: frame.readableBytes - header) ?? frame
    }
}
