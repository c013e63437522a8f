import Firehose

/// The compact human line of one event, e.g.
/// `1565704557953025 #commit did:plc:… rev=3l… create app.bsky.feed.post/3l… (+2 more) 1.2 KB verified`.
///
/// Text that comes from the network (DIDs, handles, paths, statuses) passes through `TerminalText.clean`, so an
/// event cannot move the cursor or recolour the terminal.
enum TailLine {
    /// The line of a message with a seq, `nil` for frames that are not stream events (`#info`, errors, unknown).
    static func text(_ frame: FirehoseFrame, check: CommitCheck? = nil) -> String? {
        var parts: [String]
        switch frame {
        case .commit(let message):
            parts = ["\(message.seq) #commit", clean(message.repo), "rev=" + clean(message.rev)]
            if let first = message.ops.first {
                parts.append(first.action.rawValue + " " + clean(first.path))
                if message.ops.count > 1 { parts.append("(+\(message.ops.count - 1) more)") }
            } else {
                parts.append("(no ops)")
            }
            parts.append(ByteCount.text(message.blocks.count))
        case .sync(let message):
            parts = ["\(message.seq) #sync", clean(message.did), "rev=" + clean(message.rev),
                     ByteCount.text(message.blocks.count)]
        case .identity(let message):
            parts = ["\(message.seq) #identity", clean(message.did), "handle=" + (message.handle.map(clean) ?? "-")]
        case .account(let message):
            parts = ["\(message.seq) #account", clean(message.did), "active=\(message.active)"]
            if let status = message.status { parts.append("status=" + clean(status)) }
        case .info, .error, .unknown:
            return nil
        }
        if let check { parts.append(check.text) }
        return parts.joined(separator: " ")
    }

    /// The stderr line of an `#info` notice.
    static func info(_ message: InfoMessage) -> String {
        "#info " + clean(message.name) + (message.message.map { ": " + clean($0) } ?? "")
    }

    private static func clean(_ text: String) -> String { TerminalText.clean(text) }
}
