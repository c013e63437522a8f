import ATData
import ATRepo

/// Decodes event-stream frames (`header || body`, two canonical DAG-CBOR items) straight from the bytes.
public enum FrameDecoder {
    /// Hard cap on one frame.
    public static let maxFrameBytes = 5_000_000

    /// Decodes one frame. Unknown `op`/`t` yield `.unknown` (the body is still checked to be one canonical item).
    public static func decode(_ bytes: [UInt8]) throws(FrameError) -> FirehoseFrame {
        guard bytes.count <= maxFrameBytes else { throw .frameTooLarge(bytes.count) }
        var reader: DAGCBORReader
        do {
            reader = try DAGCBORReader(bytes, limits: DAGCBORLimits(maxInputBytes: maxFrameBytes))
        } catch {
            throw .cbor(error)
        }
        let header = try FrameHeader.read(&reader)
        do {
            let frame = try decodeBody(header, &reader)
            try reader.expectEnd()
            return frame
        } catch let error as FrameError {
            throw error
        } catch let error as DAGCBORError {
            throw .cbor(error)
        } catch {
            throw .invalidField("\(error)")
        }
    }

    /// Reads just the header (to route or count a frame without decoding its body).
    public static func header(of bytes: [UInt8]) throws(FrameError) -> FrameHeader {
        var reader: DAGCBORReader
        do {
            reader = try DAGCBORReader(bytes, limits: DAGCBORLimits(maxInputBytes: maxFrameBytes))
        } catch {
            throw .cbor(error)
        }
        return try FrameHeader.read(&reader)
    }

    private static func decodeBody(_ header: FrameHeader, _ reader: inout DAGCBORReader) throws -> FirehoseFrame {
        switch (header.op, header.type) {
        case (-1, _): return .error(try decodeError(&reader))
        case (1, "#commit"): return .commit(try decodeCommit(&reader))
        case (1, "#sync"): return .sync(try decodeSync(&reader))
        case (1, "#identity"): return .identity(try decodeIdentity(&reader))
        case (1, "#account"): return .account(try decodeAccount(&reader))
        case (1, "#info"): return .info(try decodeInfo(&reader))
        default:
            try reader.skipValue()
            return .unknown(op: header.op, type: header.type)
        }
    }

    static func require<T>(_ value: T?, _ name: String) throws -> T {
        guard let value else { throw FrameError.missingField(name) }
        return value
    }

    static func decodeCommit(_ reader: inout DAGCBORReader) throws -> CommitMessage {
        var seq: Int64?, repo: String?, commit: CID?, rev: String?, blocks: [UInt8]?, ops: [RepoOp]?
        var time: String?, prevData: CID?, rebase = false, tooBig = false
        var since: String?
        var blobs: [CID] = []
        try reader.readFields { key, reader in
            if reader.key(key, is: "seq") {
                seq = try reader.readInteger()
            } else if reader.key(key, is: "repo") {
                repo = try reader.readString()
            } else if reader.key(key, is: "commit") {
                commit = try reader.readLink()
            } else if reader.key(key, is: "rev") {
                rev = try reader.readString()
            } else if reader.key(key, is: "since") {
                since = try reader.readOptionalString()
            } else if reader.key(key, is: "blocks") {
                blocks = Array(try reader.readBytes())
            } else if reader.key(key, is: "ops") {
                ops = try decodeOps(&reader)
            } else if reader.key(key, is: "blobs") {
                if reader.nextIsNull {
                    try reader.readNull()
                } else {
                    let blobCount = try reader.readArrayHeader()
                    for _ in 0..<blobCount { blobs.append(try reader.readLink()) }
                }
            } else if reader.key(key, is: "prevData") {
                prevData = try reader.readOptionalLink()
            } else if reader.key(key, is: "time") {
                time = try reader.readString()
            } else if reader.key(key, is: "rebase") {
                rebase = try reader.readBool()
            } else if reader.key(key, is: "tooBig") {
                tooBig = try reader.readBool()
            } else {
                return false
            }
            return true
        }
        return CommitMessage(
            seq: try require(seq, "seq"), repo: try require(repo, "repo"), commit: try require(commit, "commit"),
            rev: try require(rev, "rev"), since: since, blocks: try require(blocks, "blocks"),
            ops: try require(ops, "ops"), blobs: blobs, prevData: prevData, time: try require(time, "time"),
            rebase: rebase, tooBig: tooBig)
    }

    static func decodeOps(_ reader: inout DAGCBORReader) throws -> [RepoOp] {
        let count = try reader.readArrayHeader()
        var ops: [RepoOp] = []
        ops.reserveCapacity(min(count, 256))
        for _ in 0..<count {
            var action: RepoOp.Action?, path: String?, cid: CID?, prev: CID?
            var sawCID = false
            try reader.readFields { key, reader in
                if reader.key(key, is: "action") {
                    let text = try reader.readString()
                    guard let parsed = RepoOp.Action(rawValue: text) else {
                        throw FrameError.invalidField("op action \(text)")
                    }
                    action = parsed
                } else if reader.key(key, is: "path") {
                    path = try reader.readString()
                } else if reader.key(key, is: "cid") {
                    cid = try reader.readOptionalLink()
                    sawCID = true
                } else if reader.key(key, is: "prev") {
                    prev = try reader.readOptionalLink()
                } else {
                    return false
                }
                return true
            }
            guard sawCID else { throw FrameError.missingField("ops.cid") }
            ops.append(RepoOp(action: try require(action, "ops.action"), path: try require(path, "ops.path"),
                              cid: cid, prev: prev))
        }
        return ops
    }

    static func decodeSync(_ reader: inout DAGCBORReader) throws -> SyncMessage {
        var seq: Int64?, did: String?, blocks: [UInt8]?, rev: String?, time: String?
        try reader.readFields { key, reader in
            if reader.key(key, is: "seq") {
                seq = try reader.readInteger()
            } else if reader.key(key, is: "did") {
                did = try reader.readString()
            } else if reader.key(key, is: "blocks") {
                blocks = Array(try reader.readBytes())
            } else if reader.key(key, is: "rev") {
                rev = try reader.readString()
            } else if reader.key(key, is: "time") {
                time = try reader.readString()
            } else {
                return false
            }
            return true
        }
        return SyncMessage(seq: try require(seq, "seq"), did: try require(did, "did"),
                           blocks: try require(blocks, "blocks"), rev: try require(rev, "rev"),
                           time: try require(time, "time"))
    }

    static func decodeIdentity(_ reader: inout DAGCBORReader) throws -> IdentityMessage {
        var seq: Int64?, did: String?, time: String?, handle: String?
        try reader.readFields { key, reader in
            if reader.key(key, is: "seq") {
                seq = try reader.readInteger()
            } else if reader.key(key, is: "did") {
                did = try reader.readString()
            } else if reader.key(key, is: "time") {
                time = try reader.readString()
            } else if reader.key(key, is: "handle") {
                handle = try reader.readOptionalString()
            } else {
                return false
            }
            return true
        }
        return IdentityMessage(seq: try require(seq, "seq"), did: try require(did, "did"),
                               time: try require(time, "time"), handle: handle)
    }

    static func decodeAccount(_ reader: inout DAGCBORReader) throws -> AccountMessage {
        var seq: Int64?, did: String?, time: String?, active: Bool?, status: String?
        try reader.readFields { key, reader in
            if reader.key(key, is: "seq") {
                seq = try reader.readInteger()
            } else if reader.key(key, is: "did") {
                did = try reader.readString()
            } else if reader.key(key, is: "time") {
                time = try reader.readString()
            } else if reader.key(key, is: "active") {
                active = try reader.readBool()
            } else if reader.key(key, is: "status") {
                status = try reader.readOptionalString()
            } else {
                return false
            }
            return true
        }
        return AccountMessage(seq: try require(seq, "seq"), did: try require(did, "did"),
                              time: try require(time, "time"), active: try require(active, "active"),
                              status: status)
    }

    static func decodeInfo(_ reader: inout DAGCBORReader) throws -> InfoMessage {
        var name: String?, message: String?
        try reader.readFields { key, reader in
            if reader.key(key, is: "name") {
                name = try reader.readString()
            } else if reader.key(key, is: "message") {
                message = try reader.readOptionalString()
            } else {
                return false
            }
            return true
        }
        return InfoMessage(name: try require(name, "name"), message: message)
    }

    static func decodeError(_ reader: inout DAGCBORReader) throws -> ErrorMessage {
        var error: String?, message: String?
        try reader.readFields { key, reader in
            if reader.key(key, is: "error") {
                error = try reader.readString()
            } else if reader.key(key, is: "message") {
                message = try reader.readOptionalString()
            } else {
                return false
            }
            return true
        }
        return ErrorMessage(error: try require(error, "error"), message: message)
    }
}

extension DAGCBORReader {
    /// Walks a map in canonical key order: `body` reads the value of a key it knows and returns true; the values
    /// of other keys are skipped (and validated).
    mutating func readFields(_ body: (Range<Int>, inout DAGCBORReader) throws -> Bool) throws {
        let count = try readMapHeader()
        var previous: Range<Int>? = nil
        for _ in 0..<count {
            let key = try readMapKey(after: previous)
            previous = key
            if try !body(key, &self) { try skipValue() }
        }
    }
}
