import ATData

/// Reads one field of an event frame's body map without decoding the rest (benchmark consumers look at `seq` or
/// `time` only).
enum FrameBodyField {
    /// The value of the body field `name`, read by `read`; nil if the field is absent or the frame malformed.
    /// `body` is where the body map starts; nil means after the header.
    static func read<Value>(_ frame: [UInt8], body: Int?, named name: StaticString,
                            _ read: (inout DAGCBORReader) throws(DAGCBORError) -> Value) -> Value?
    {
        let start = body ?? 0
        guard start >= 0, start <= frame.count else { return nil }
        do throws(DAGCBORError) {
            var reader = try DAGCBORReader(frame, range: start..<frame.count)
            if body == nil { try reader.skipValue() }
            let count = try reader.readMapHeader()
            var previous: Range<Int>?
            for _ in 0..<count {
                let key = try reader.readMapKey(after: previous)
                previous = key
                if reader.key(key, is: name) { return try read(&reader) }
                try reader.skipValue()
            }
            return nil
        } catch {
            return nil
        }
    }
}
