import Foundation
import Logging

/// Carries out ``Durability``: fsyncs an `MDB_NOSYNC` environment after commits and on a timer.
final class SyncScheduler: @unchecked Sendable {
    private let env: LMDBEnvironment
    private let mode: Durability
    private let interval: Duration
    private let condition = NSCondition()
    // Guarded by `condition`.
    private var dirty = false
    private var stopped = false
    private var running = false
    private var lastSync = ContinuousClock.now
    private let finished = DispatchSemaphore(value: 0)
    private let logger = Logger(label: "tributary.eventlog.sync")

    init(env: LMDBEnvironment, mode: Durability) {
        self.env = env
        self.mode = mode
        switch mode {
        case .always: interval = .zero
        case .batch(let maxDelay): interval = maxDelay
        case .periodic(let period): interval = period
        }
    }

    /// Starts the flusher thread (not needed for ``Durability/always``).
    func start() {
        guard mode != .always else { return }
        condition.lock()
        running = true
        condition.unlock()
        let thread = Thread { [self] in runFlusher() }
        thread.name = "eventlog-fsync"
        thread.start()
    }

    /// Called after each commit, outside the writer lock. Never fsyncs on the caller's thread: in batch mode a due
    /// sync wakes the flusher at once, so appends keep going while the disk catches up.
    func didCommit() {
        guard mode != .always else { return }
        condition.lock()
        dirty = true
        if case .batch = mode, ContinuousClock.now - lastSync >= interval { condition.signal() }
        condition.unlock()
    }

    private func syncNow() {
        do { try env.sync(force: true) } catch { logger.error("event log fsync failed: \(error)") }
    }

    private func runFlusher() {
        condition.lock()
        while !stopped {
            let seconds = Double(interval.components.seconds) + Double(interval.components.attoseconds) / 1e18
            _ = condition.wait(until: Date(timeIntervalSinceNow: max(seconds, 0.001)))
            if dirty && !stopped {
                dirty = false
                lastSync = .now
                condition.unlock()
                syncNow()
                condition.lock()
            }
        }
        condition.unlock()
        finished.signal()
    }

    /// Stops the flusher and fsyncs whatever is still unsynced.
    func stop() {
        condition.lock()
        let wasRunning = running && !stopped
        stopped = true
        let needSync = dirty
        dirty = false
        condition.signal()
        condition.unlock()
        if wasRunning { finished.wait() }
        if needSync { syncNow() }
    }
}
