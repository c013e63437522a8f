import ATData
import Firehose

/// Hand-made upstream frames for the hostile-host tests.
enum HostileFrames {
    /// A body key that sorts after every `#commit` field in DAG-CBOR order (longer keys sort later).
    static let paddingKey = "zzpadding"

    /// `frame` (an encoded message frame) with one more body field, `zzpadding: bytes(n)`, sized so that the whole
    /// frame is exactly `total` bytes. Decoders skip unknown fields, so the frame means what `frame` meant.
    static func padded(_ frame: [UInt8], toTotal total: Int) throws -> [UInt8] {
        var reader = try DAGCBORReader(frame)
        try reader.skipValue()
        let bodyStart = reader.position
        let mapHead = frame[bodyStart]
        guard mapHead >= 0xA0, mapHead < 0xB7 else { throw TestFailure("body is not a small map") }
        var head = Array(frame[..<bodyStart])
        head.append(mapHead + 1)
        head.append(contentsOf: frame[(bodyStart + 1)...])
        var key = DAGCBORWriter()
        key.writeString(paddingKey)
        head.append(contentsOf: key.bytes)
        // Byte-string header: 1 byte below 24, then 2, 3, 5 bytes.
        for headerLength in [1, 2, 3, 5] {
            let length = total - head.count - headerLength
            guard length >= 0 else { continue }
            var value = DAGCBORWriter()
            value.writeBytes([UInt8](repeating: 0x5A, count: length))
            if head.count + value.bytes.count == total { return head + value.bytes }
        }
        throw TestFailure("cannot pad a \(frame.count)-byte frame to \(total) bytes")
    }

    /// A `#commit` frame whose body carries `depth` nested one-element arrays in an unknown field.
    static func deeplyNested(_ frame: [UInt8], depth: Int) throws -> [UInt8] {
        var reader = try DAGCBORReader(frame)
        try reader.skipValue()
        let bodyStart = reader.position
        let mapHead = frame[bodyStart]
        guard mapHead >= 0xA0, mapHead < 0xB7 else { throw TestFailure("body is not a small map") }
        var out = Array(frame[..<bodyStart])
        out.append(mapHead + 1)
        out.append(contentsOf: frame[(bodyStart + 1)...])
        var key = DAGCBORWriter()
        key.writeString(paddingKey)
        out.append(contentsOf: key.bytes)
        out.append(contentsOf: [UInt8](repeating: 0x81, count: depth))  // array(1), nested
        out.append(0x00)  // the innermost element: 0
        return out
    }

    /// Bytes that are not DAG-CBOR at all.
    static let garbage: [UInt8] = Array("GET / HTTP/1.1\r\n\r\n".utf8) + [0xFF, 0x00, 0xC0, 0xDE]
}
