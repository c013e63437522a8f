import Firehose

/// The stderr notes for connection lifecycle events (`nil`: nothing worth telling a person).
enum TailLifecycle {
    static func note(for event: FirehoseClientEvent) -> String? {
        switch event {
        case .connecting(let url, _): "connecting to \(url)"
        case .connected: "connected"
        case .frame, .futureCursor: nil
        case .staleSeq(let seq, let last): "skipped seq \(seq): not after \(last)"
        case .errorFrame(let message): "error frame " + describe(message)
        case .undecodable(let bytes, let reason): "undecodable frame (\(bytes.count) bytes): \(reason)"
        case .disconnected(let reason): "disconnected: " + describe(reason)
        case .backoff(let delay, let failures): "reconnecting in \(seconds(delay)) (attempt \(failures + 1))"
        }
    }

    /// `FutureCursor` ends the run: reconnecting with the same cursor would only be refused again.
    static func futureCursor(_ message: ErrorMessage, cursor: Int64?) -> String {
        // The host's own message usually names its head; without one, say which cursor was refused.
        let asked = cursor.map { "cursor \($0) is ahead of the stream" } ?? "the host refused the cursor"
        let reason = message.message.map(TerminalText.clean) ?? asked
        return "FutureCursor: \(reason); use a lower --cursor, or none for live events"
    }

    static func describe(_ message: ErrorMessage) -> String {
        TerminalText.clean(message.error) + (message.message.map { ": " + TerminalText.clean($0) } ?? "")
    }

    static func describe(_ reason: DisconnectReason) -> String {
        switch reason {
        case .connectFailed(let error): "could not connect: \(error)"
        case .closed(let code, let text):
            "closed" + (code.map { " (code \($0))" } ?? "") + (text.map { ": " + TerminalText.clean($0) } ?? "")
        case .transportError(let error): "transport error: \(error)"
        case .errorFrame(let message): "after error frame " + describe(message)
        case .undecodableFrame(let reason): "after undecodable frame: \(reason)"
        }
    }

    /// `1.5 s`, `250 ms`.
    static func seconds(_ duration: Duration) -> String {
        let (wholeSeconds, attoseconds) = duration.components
        let milliseconds = max(0, wholeSeconds) * 1000 + max(0, attoseconds) / 1_000_000_000_000_000
        if milliseconds < 1000 { return "\(milliseconds) ms" }
        return "\(milliseconds / 1000).\(milliseconds % 1000 / 100) s"
    }
}
