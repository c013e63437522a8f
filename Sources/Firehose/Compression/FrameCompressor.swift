import CZlib

/// permessage-deflate (RFC 7692) payloads made once per frame and shared by every subscriber that negotiated it.
///
/// With `server_no_context_takeover` each message is compressed on its own: raw deflate (no zlib header), the full
/// 15-bit window, a sync flush, and the trailing `00 00 ff ff` removed. Because no state carries over between
/// messages, the compressed bytes of a frame are the same for every connection.
public enum FrameCompressor {
    /// Why compression or decompression failed.
    public enum Failure: Error, Equatable, Sendable {
        case zlib(Int32)
        case tooLarge
    }

    /// Compresses one message payload.
    public static func deflate(_ input: [UInt8], level: Int32 = 6) throws(Failure) -> [UInt8] {
        var stream = z_stream()
        var status = deflateInit2_(&stream, level, Z_DEFLATED, -15, 8, Z_DEFAULT_STRATEGY, ZLIB_VERSION,
                                   Int32(MemoryLayout<z_stream>.size))
        guard status == Z_OK else { throw .zlib(status) }
        defer { deflateEnd(&stream) }
        var output = [UInt8](repeating: 0, count: Int(deflateBound(&stream, UInt(input.count))) + 16)
        var produced = 0
        status = input.withUnsafeBufferPointer { source in
            output.withUnsafeMutableBufferPointer { destination in
                stream.next_in = UnsafeMutablePointer(mutating: source.baseAddress)
                stream.avail_in = UInt32(source.count)
                stream.next_out = destination.baseAddress
                stream.avail_out = UInt32(destination.count)
                let result = CZlib.deflate(&stream, Z_SYNC_FLUSH)
                produced = destination.count - Int(stream.avail_out)
                return result
            }
        }
        guard status == Z_OK, stream.avail_in == 0 else { throw .zlib(status) }
        output.removeSubrange(produced...)
        // A sync flush ends with an empty stored block 00 00 ff ff, which the receiver appends back.
        if output.count >= 4, output.suffix(4).elementsEqual([0x00, 0x00, 0xff, 0xff]) { output.removeLast(4) }
        return output
    }

    /// Decompresses one message payload (tests and clients), refusing output beyond `maxOutput` bytes.
    public static func inflate(_ input: [UInt8], maxOutput: Int = 6_000_000) throws(Failure) -> [UInt8] {
        var stream = z_stream()
        var status = inflateInit2_(&stream, -15, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size))
        guard status == Z_OK else { throw .zlib(status) }
        defer { inflateEnd(&stream) }
        let source = input + [0x00, 0x00, 0xff, 0xff]
        var output: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 64 * 1024)
        status = Z_OK
        try source.withUnsafeBufferPointer { (buffer) throws(Failure) in
            stream.next_in = UnsafeMutablePointer(mutating: buffer.baseAddress)
            stream.avail_in = UInt32(buffer.count)
            repeat {
                let written: Int = chunk.withUnsafeMutableBufferPointer { destination in
                    stream.next_out = destination.baseAddress
                    stream.avail_out = UInt32(destination.count)
                    status = CZlib.inflate(&stream, Z_SYNC_FLUSH)
                    return destination.count - Int(stream.avail_out)
                }
                guard status == Z_OK || status == Z_STREAM_END || status == Z_BUF_ERROR else { throw .zlib(status) }
                output.append(contentsOf: chunk[0..<written])
                guard output.count <= maxOutput else { throw .tooLarge }
                if written == 0 { break }
            } while stream.avail_in > 0 || stream.avail_out == 0
        }
        return output
    }
}
