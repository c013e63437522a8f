import ATData

/// The first item of a frame: `{op: 1, t: "#commit"}` for messages, `{op: -1}` for errors.
public struct FrameHeader: Sendable, Equatable {
    /// 1 = message, -1 = error.
    public var op: Int64
    /// The message type fragment (`#commit`, `#sync`, …); nil on error frames.
    public var type: String?

    /// A message header.
    public static func message(_ type: String) -> FrameHeader { FrameHeader(op: 1, type: type) }
    /// The error header.
    public static let error = FrameHeader(op: -1, type: nil)

    /// Encodes the header canonically (`t` sorts before `op`).
    public func encode(into writer: inout DAGCBORWriter) {
        if let type {
            writer.writeMapHeader(count: 2)
            writer.writeString("t")
            writer.writeString(type)
        } else {
            writer.writeMapHeader(count: 1)
        }
        writer.writeString("op")
        writer.writeInteger(op)
    }

    /// Reads a header from the start of a frame.
    static func read(_ reader: inout DAGCBORReader) throws(FrameError) -> FrameHeader {
        do {
            var op: Int64?
            var type: String?
            try reader.readFields { key, reader in
                if reader.key(key, is: "op") {
                    op = try reader.readInteger()
                } else if reader.key(key, is: "t") {
                    type = try reader.readString()
                } else {
                    return false
                }
                return true
            }
            guard let op else { throw FrameError.badHeader("missing op") }
            if op == 1 && type == nil { throw FrameError.badHeader("message without t") }
            return FrameHeader(op: op, type: type)
        } catch let error as FrameError {
            throw error
        } catch let error as DAGCBORError {
            throw .cbor(error)
        } catch {
            throw .badHeader("\(error)")
        }
    }
}
