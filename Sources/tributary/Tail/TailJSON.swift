import ATRepo
import Firehose

/// The `--json` object of one event; the fields are listed in docs/firehose.md ("tributary tail") and only ever
/// grow. Keys come in a fixed order: `seq`, `type`, `did`, `time`, then the type's own fields, then `verified`….
enum TailJSON {
    /// The object of a message with a seq, `nil` for frames that are not stream events.
    static func line(_ frame: FirehoseFrame, check: CommitCheck? = nil) -> JSONLine? {
        var line = JSONLine()
        switch frame {
        case .commit(let message):
            addCommon(&line, seq: message.seq, type: "#commit", did: message.repo, time: message.time)
            line.add("rev", .string(message.rev))
            line.add("since", .optional(message.since))
            line.add("commit", .string(message.commit.string))
            line.add("prevData", .optional(message.prevData?.string))
            line.add("ops", .array(message.ops.map(op)))
            line.add("blocks", .integer(Int64(message.blocks.count)))
        case .sync(let message):
            addCommon(&line, seq: message.seq, type: "#sync", did: message.did, time: message.time)
            line.add("rev", .string(message.rev))
            line.add("blocks", .integer(Int64(message.blocks.count)))
        case .identity(let message):
            addCommon(&line, seq: message.seq, type: "#identity", did: message.did, time: message.time)
            line.add("handle", .optional(message.handle))
        case .account(let message):
            addCommon(&line, seq: message.seq, type: "#account", did: message.did, time: message.time)
            line.add("active", .bool(message.active))
            line.add("status", .optional(message.status))
        case .info, .error, .unknown:
            return nil
        }
        check?.addFields(to: &line)
        return line
    }

    /// The object of an `#info` notice (written to stderr, like all lifecycle output).
    static func info(_ message: InfoMessage) -> JSONLine {
        var line = JSONLine()
        line.add("type", .string("#info"))
        line.add("name", .string(message.name))
        line.add("message", .optional(message.message))
        return line
    }

    private static func addCommon(_ line: inout JSONLine, seq: Int64, type: String, did: String, time: String) {
        line.add("seq", .integer(seq))
        line.add("type", .string(type))
        line.add("did", .string(did))
        line.add("time", .string(time))
    }

    private static func op(_ op: RepoOp) -> JSONLine.Value {
        var line = JSONLine()
        line.add("action", .string(op.action.rawValue))
        line.add("path", .string(op.path))
        line.add("cid", .optional(op.cid?.string))
        line.add("prev", .optional(op.prev?.string))
        return .object(line)
    }
}
