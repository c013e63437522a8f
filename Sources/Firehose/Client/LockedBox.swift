import Synchronization

/// A mutex-guarded value that escaping `@Sendable` closures can share (a `Mutex` itself cannot be captured).
final class LockedBox<Value: Sendable>: Sendable {
    private let mutex: Mutex<Value>

    init(_ value: Value) {
        mutex = Mutex(value)
    }

    /// Runs `body` with exclusive access.
    func withLock<Result: Sendable>(_ body: (inout sending Value) -> sending Result) -> Result {
        mutex.withLock(body)
    }

    /// A copy of the current value.
    var value: Value { withLock { $0 } }
}
