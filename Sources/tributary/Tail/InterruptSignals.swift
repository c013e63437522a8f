import Dispatch
import Foundation

/// SIGINT/SIGTERM handling for a command that should stop cleanly: the signal cancels the running task instead of
/// killing the process, so output is complete and connections close. A second signal exits at once (status 130).
enum InterruptSignals {
    /// Runs `operation` in a task that SIGINT or SIGTERM cancels; returns its result.
    static func cancelOnInterrupt<T: Sendable>(
        _ operation: @escaping @Sendable () async throws -> T
    ) async -> Result<T, any Error> {
        let task = Task { try await operation() }
        let signals = [SIGINT, SIGTERM]
        let sources = signals.map { number in
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            // A second signal while the first is being honoured means "now": exit at once.
            source.setEventHandler {
                if task.isCancelled { exit(130) }
                task.cancel()
            }
            source.resume()
            return source
        }
        let result = await task.result
        for source in sources { source.cancel() }
        for number in signals { signal(number, SIG_DFL) }
        return result
    }
}
