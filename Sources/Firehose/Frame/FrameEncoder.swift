import ATData
import ATRepo

/// Encodes frames canonically (header, then body with keys in DAG-CBOR order). A frame is encoded once per event
/// and variant and the bytes are shared by every subscriber.
public enum FrameEncoder {
    /// Encodes any frame; `.unknown` frames cannot be encoded and yield an empty array.
    public static func encode(_ frame: FirehoseFrame) -> [UInt8] {
        switch frame {
        case .commit(let message): encode(message)
        case .sync(let message): encode(message)
        case .identity(let message): encode(message)
        case .account(let message): encode(message)
        case .info(let message): encode(message)
        case .error(let message): encode(message)
        case .unknown: []
        }
    }

    /// `#commit`; keys in canonical order: ops rev seq repo time blobs since blocks commit rebase tooBig prevData.
    public static func encode(_ message: CommitMessage) -> [UInt8] { encode(message, seq: message.seq) }

    /// `#commit` with `seq` in place of the message's own (the relay's re-sequencing, without copying the message).
    public static func encode(_ message: CommitMessage, seq: Int64) -> [UInt8] {
        // Room for everything but blocks and ops (~300 bytes) and ~160 per op, so the frame is built in one buffer.
        var writer = DAGCBORWriter(capacity: message.blocks.count + 400 + message.ops.count * 160)
        FrameHeader.message("#commit").encode(into: &writer)
        writer.writeMapHeader(count: message.prevData == nil ? 11 : 12)
        writer.writeString("ops")
        writer.writeArrayHeader(count: message.ops.count)
        for op in message.ops {
            writer.writeMapHeader(count: op.prev == nil ? 3 : 4)
            writer.writeString("cid")
            writer.writeOptionalLink(op.cid)
            writer.writeString("path")
            writer.writeString(op.path)
            if let prev = op.prev {
                writer.writeString("prev")
                writer.writeLink(prev)
            }
            writer.writeString("action")
            writer.writeString(op.action.rawValue)
        }
        writer.writeString("rev")
        writer.writeString(message.rev)
        writer.writeString("seq")
        writer.writeInteger(seq)
        writer.writeString("repo")
        writer.writeString(message.repo)
        writer.writeString("time")
        writer.writeString(message.time)
        writer.writeString("blobs")
        writer.writeArrayHeader(count: message.blobs.count)
        for blob in message.blobs { writer.writeLink(blob) }
        writer.writeString("since")
        if let since = message.since { writer.writeString(since) } else { writer.writeNull() }
        writer.writeString("blocks")
        writer.writeBytes(message.blocks)
        writer.writeString("commit")
        writer.writeLink(message.commit)
        writer.writeString("rebase")
        writer.writeBool(message.rebase)
        writer.writeString("tooBig")
        writer.writeBool(message.tooBig)
        if let prevData = message.prevData {
            writer.writeString("prevData")
            writer.writeLink(prevData)
        }
        return writer.bytes
    }

    /// `#sync`; keys: did rev seq time blocks.
    public static func encode(_ message: SyncMessage) -> [UInt8] {
        var writer = DAGCBORWriter(capacity: message.blocks.count + 160)
        FrameHeader.message("#sync").encode(into: &writer)
        writer.writeMapHeader(count: 5)
        writer.writeString("did")
        writer.writeString(message.did)
        writer.writeString("rev")
        writer.writeString(message.rev)
        writer.writeString("seq")
        writer.writeInteger(message.seq)
        writer.writeString("time")
        writer.writeString(message.time)
        writer.writeString("blocks")
        writer.writeBytes(message.blocks)
        return writer.bytes
    }

    /// `#identity`; keys: did seq time handle.
    public static func encode(_ message: IdentityMessage) -> [UInt8] {
        var writer = DAGCBORWriter(capacity: 160)
        FrameHeader.message("#identity").encode(into: &writer)
        writer.writeMapHeader(count: message.handle == nil ? 3 : 4)
        writer.writeString("did")
        writer.writeString(message.did)
        writer.writeString("seq")
        writer.writeInteger(message.seq)
        writer.writeString("time")
        writer.writeString(message.time)
        if let handle = message.handle {
            writer.writeString("handle")
            writer.writeString(handle)
        }
        return writer.bytes
    }

    /// `#account`; keys: did seq time active status.
    public static func encode(_ message: AccountMessage) -> [UInt8] {
        var writer = DAGCBORWriter(capacity: 160)
        FrameHeader.message("#account").encode(into: &writer)
        writer.writeMapHeader(count: message.status == nil ? 4 : 5)
        writer.writeString("did")
        writer.writeString(message.did)
        writer.writeString("seq")
        writer.writeInteger(message.seq)
        writer.writeString("time")
        writer.writeString(message.time)
        writer.writeString("active")
        writer.writeBool(message.active)
        if let status = message.status {
            writer.writeString("status")
            writer.writeString(status)
        }
        return writer.bytes
    }

    /// `#info`; keys: name message.
    public static func encode(_ message: InfoMessage) -> [UInt8] {
        var writer = DAGCBORWriter(capacity: 128)
        FrameHeader.message("#info").encode(into: &writer)
        writer.writeMapHeader(count: message.message == nil ? 1 : 2)
        writer.writeString("name")
        writer.writeString(message.name)
        if let text = message.message {
            writer.writeString("message")
            writer.writeString(text)
        }
        return writer.bytes
    }

    /// An error frame; keys: error message.
    public static func encode(_ message: ErrorMessage) -> [UInt8] {
        var writer = DAGCBORWriter(capacity: 128)
        FrameHeader.error.encode(into: &writer)
        writer.writeMapHeader(count: message.message == nil ? 1 : 2)
        writer.writeString("error")
        writer.writeString(message.error)
        if let text = message.message {
            writer.writeString("message")
            writer.writeString(text)
        }
        return writer.bytes
    }
}
