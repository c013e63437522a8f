import Firehose
import Logging

/// Where tail writes: one line per stream event (stdout) and lifecycle notes (stderr).
struct TailSink: Sendable {
    /// Writes an event line; a throw (e.g. stdout closed) ends the run.
    var line: @Sendable (String) throws -> Void
    /// Writes a lifecycle note.
    var note: @Sendable (String) -> Void
}

/// Why a run ended early.
enum TailFailure: Error, Equatable {
    /// The host refused the cursor (`FutureCursor`); the text says what to do.
    case futureCursor(String)

    var reason: String {
        switch self {
        case .futureCursor(let text): text
        }
    }
}

/// The tail loop: subscribes with `FirehoseClient`, formats (and with `--verify` checks) each event in stream
/// order, and returns after `settings.count` events or when its task is cancelled (SIGINT).
struct TailRunner: Sendable {
    let settings: TailSettings
    /// Present with `--verify`.
    let checker: CommitChecker?
    let logger: Logger

    /// Runs until the count is reached or the task is cancelled; returns how many event lines were written.
    func run(_ sink: TailSink) async throws -> Int {
        let client = FirehoseClient(
            subscription: settings.subscription, configuration: settings.client, logger: logger)
        var written = 0
        if let count = settings.count, count <= 0 { return 0 }
        for await event in client.events() {
            switch event {
            case .frame(let frame, _):
                guard frame.seq != nil else {
                    note(frame, sink)
                    continue
                }
                try sink.line(await render(frame))
                written += 1
                if let count = settings.count, written >= count { return written }
            case .futureCursor(let message, let cursor):
                throw TailFailure.futureCursor(TailLifecycle.futureCursor(message, cursor: cursor))
            default:
                if let text = TailLifecycle.note(for: event) { sink.note(text) }
            }
        }
        return written
    }

    /// The output line of a stream event, checking it first when asked to.
    func render(_ frame: FirehoseFrame) async -> String {
        var check: CommitCheck?
        if let checker {
            switch frame {
            case .commit(let message): check = await checker.check(message)
            case .identity(let message): await checker.forget(message.did)
            default: break
            }
        }
        if settings.json { return TailJSON.line(frame, check: check)?.text ?? "" }
        return TailLine.text(frame, check: check) ?? ""
    }

    /// Frames without a seq: `#info` (e.g. `OutdatedCursor`) and unknown types go to stderr.
    private func note(_ frame: FirehoseFrame, _ sink: TailSink) {
        switch frame {
        case .info(let message):
            sink.note(settings.json ? TailJSON.info(message).text : TailLine.info(message))
        case .unknown(let op, let type):
            sink.note("skipped frame op=\(op) t=" + (type.map(TerminalText.clean) ?? "-"))
        case .error(let message):
            sink.note("error frame " + TailLifecycle.describe(message))
        case .commit, .sync, .identity, .account:
            break
        }
    }
}
