import Synchronization

/// A subscriber's send loop as its stall watchdog sees it: the last seq read from the log and how many socket
/// writes were started and finished. A write that stays unfinished means the client stopped reading.
final class SendProgress: Sendable {
    /// Seq of the last event read (or skipped) by the cursor; the next read starts after it.
    let position: Atomic<UInt64>
    /// Frames handed to the socket writer.
    let writesStarted = Atomic<Int>(0)
    /// Frames the socket writer accepted.
    let writesFinished = Atomic<Int>(0)

    init(position: UInt64) { self.position = Atomic(position) }

    /// Whether a write has been pending since the finished count was `finished`.
    func isStalled(since finished: Int) -> Bool {
        let done = writesFinished.load(ordering: .relaxed)
        return done == finished && writesStarted.load(ordering: .relaxed) > done
    }
}
