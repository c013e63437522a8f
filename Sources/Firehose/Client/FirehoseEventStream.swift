import Synchronization

/// The events of a `FirehoseClient` as an async sequence (see `FirehoseClient.events()`).
///
/// The first `next()` starts the connection loop in its own task, which hands events over without buffering.
/// Cancelling the iterating task, or dropping the iterator, cancels that loop and closes the socket.
public struct FirehoseEventStream: AsyncSequence, Sendable {
    public typealias Element = FirehoseClientEvent
    public typealias Failure = Never

    let client: FirehoseClient

    /// Creates the iterator (one connection loop per iterator).
    public func makeAsyncIterator() -> Iterator {
        Iterator(driver: StreamDriver(client: client))
    }

    /// Iterates the events; each call to `next()` marks the previous event handled.
    public struct Iterator: AsyncIteratorProtocol {
        let driver: StreamDriver

        /// The next event, or `nil` once the iterating task was cancelled.
        public mutating func next() async -> FirehoseClientEvent? {
            await driver.next()
        }
    }
}

/// Owns the connection loop of one iterator and stops it when the iterator goes away.
final class StreamDriver: Sendable {
    private let client: FirehoseClient
    private let handoff = EventHandoff<FirehoseClientEvent>()
    private let task = Mutex<Task<Void, Never>?>(nil)
    private let started = Atomic<Bool>(false)

    init(client: FirehoseClient) {
        self.client = client
    }

    deinit {
        stop()
    }

    func next() async -> FirehoseClientEvent? {
        if Task.isCancelled {
            stop()
            return nil
        }
        startIfNeeded()
        return await withTaskCancellationHandler {
            await handoff.next()
        } onCancel: {
            stop()
        }
    }

    /// Ends the stream and cancels the loop (which closes the socket).
    func stop() {
        handoff.finish()
        task.withLock { $0?.cancel() }
    }

    private func startIfNeeded() {
        guard started.compareExchange(expected: false, desired: true, ordering: .relaxed).exchanged else { return }
        // The loop captures the client and the handoff, never `self`, so dropping the iterator runs `deinit`.
        let client = client
        let handoff = handoff
        let loop = Task {
            try? await client.run { event in try await handoff.send(event) }
            handoff.finish()
        }
        task.withLock { $0 = loop }
    }
}
