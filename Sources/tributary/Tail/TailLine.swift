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

/// Byte counts for people: `812 B`, `1.2 KB`, `3.4 MB` (decimal units, one decimal, rounded half up).
enum ByteCount {
    static func text(_ count: Int) -> String {
        if count < 1000 { return "\(count) B" }
        if count < 999_950 { return tenths(count, unit: 1000) + " KB" }
        return tenths(count, unit: 1_000_000) + " MB"
    }

    private static func tenths(_ count: Int, unit: Int) -> String {
        let value = (count * 10 + unit / 2) / unit
        return "\(value / 10).\(value % 10)"
    }
}

/// Makes network text safe to print on a terminal.
enum TerminalText {
    /// `text` with C0/C1 control characters and DEL replaced by `?`.
    static func clean(_ text: String) -> String {
        guard text.unicodeScalars.contains(where: isControl) else { return text }
        var output = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            output.append(isControl(scalar) ? "?" : scalar)
        }
        return String(output)
    }

    private static func isControl(_ scalar: Unicode.Scalar) -> Bool {
        scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value)
    }
}
