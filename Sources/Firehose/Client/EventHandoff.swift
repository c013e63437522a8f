import Synchronization

/// A single-producer, single-consumer handoff without a buffer.
///
/// `send` returns only when the consumer asks for the element after the one sent, i.e. once the consumer has handled
/// it. So the producer (the socket reader) never runs ahead of the consumer, nothing is dropped, and when `send`
/// returns the producer knows the element was handled.
final class EventHandoff<Element: Sendable>: Sendable {
    private enum State {
        case idle
        case consumerWaiting(CheckedContinuation<Element?, Never>)
        /// An element waits for the consumer; the producer waits too.
        case offered(Element, CheckedContinuation<Void, any Error>)
        /// The consumer holds the element; the producer waits for its next request.
        case handling(CheckedContinuation<Void, any Error>)
        case finished
    }

    private enum NextAction {
        case resumeProducer(CheckedContinuation<Void, any Error>)
        case deliver(Element)
        case end
        case wait
    }

    private let state = Mutex<State>(.idle)

    /// Hands `element` over and waits until the consumer is done with it; throws `CancellationError` once finished.
    func send(_ element: Element) async throws {
        try await withCheckedThrowingContinuation { (producer: CheckedContinuation<Void, any Error>) in
            let consumer: CheckedContinuation<Element?, Never>? = state.withLock { state in
                switch state {
                case .idle:
                    state = .offered(element, producer)
                    return nil
                case .consumerWaiting(let consumer):
                    state = .handling(producer)
                    return consumer
                case .finished:
                    producer.resume(throwing: CancellationError())
                    return nil
                case .offered, .handling:
                    // Only one producer exists and it is suspended here, so this cannot happen; fail safe.
                    producer.resume(throwing: CancellationError())
                    return nil
                }
            }
            consumer?.resume(returning: element)
        }
    }

    /// The next element (which also marks the previous one handled), or `nil` once finished.
    func next() async -> Element? {
        await withCheckedContinuation { (consumer: CheckedContinuation<Element?, Never>) in
            let action: NextAction = state.withLock { state in
                switch state {
                case .handling(let producer):
                    state = .consumerWaiting(consumer)
                    return .resumeProducer(producer)
                case .idle:
                    state = .consumerWaiting(consumer)
                    return .wait
                case .offered(let element, let producer):
                    state = .handling(producer)
                    return .deliver(element)
                case .finished:
                    return .end
                case .consumerWaiting:
                    // A second concurrent `next()` is a misuse of the iterator; end it rather than lose a waiter.
                    return .end
                }
            }
            switch action {
            case .resumeProducer(let producer): producer.resume()
            case .deliver(let element): consumer.resume(returning: element)
            case .end: consumer.resume(returning: nil)
            case .wait: break
            }
        }
    }

    /// Ends the handoff: a waiting consumer gets `nil`, a waiting producer `CancellationError`; later calls end too.
    func finish() {
        let previous = state.withLock { state in
            let previous = state
            state = .finished
            return previous
        }
        switch previous {
        case .consumerWaiting(let consumer): consumer.resume(returning: nil)
        case .offered(_, let producer), .handling(let producer): producer.resume(throwing: CancellationError())
        case .idle, .finished: break
        }
    }
}
