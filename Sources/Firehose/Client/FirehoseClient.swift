import HummingbirdWSClient
import Logging

/// A `com.atproto.sync.subscribeRepos` subscriber that decodes frames, keeps seqs increasing per connection and
/// reconnects with backoff until cancelled. Used by ingest (one per host), `tributary tail` and mirror mode.
///
/// Events are handed over one at a time: the socket is read only when the consumer asks for the next event, so a slow
/// consumer slows the upstream (TCP backpressure) and nothing is buffered or dropped. An event counts as handled
/// when the consumer asks for the next one (`events()`) or when `body` returns (`run(_:)`).
///
/// Cursor rule: the first connection uses `subscription.cursor`. Each reconnect asks `resumeCursor` (the relay
/// returns its last durably committed seq for the host, which may be older than the last delivered one); without
/// it, the client resumes after the last frame the consumer handled (or from `subscription.cursor` if none).
///
/// Known limitation (swift-nio 2.101 `HTTPResponseDecoder`): frames that arrive together with the `101` response
/// *and* the server's FIN in one read are dropped by the upgrade, so a host that answers with an error frame and
/// closes at once can show up as a connection that ended without frames (`.closed(code: nil, …)`) instead of
/// `.futureCursor`. Nothing already sent is lost for good (the reconnect resumes from the resume cursor), but a
/// caller that sees repeated empty connections for a cursor should treat it as a possible `FutureCursor`.
public struct FirehoseClient: Sendable {
    /// What to subscribe to.
    public let subscription: FirehoseSubscription
    /// Limits and retry schedule.
    public let configuration: FirehoseClientConfiguration
    let resumeCursor: (@Sendable () async -> Int64?)?
    let logger: Logger

    /// Creates a client; nothing connects until `events()` is iterated or `run(_:)` is called.
    public init(
        subscription: FirehoseSubscription, configuration: FirehoseClientConfiguration = FirehoseClientConfiguration(),
        logger: Logger = Logger(label: "tributary.firehose.client"),
        resumeCursor: (@Sendable () async -> Int64?)? = nil
    ) {
        self.subscription = subscription
        self.configuration = configuration
        self.logger = logger
        self.resumeCursor = resumeCursor
    }

    /// The events as an async sequence. It ends (returns `nil`) only when the iterating task is cancelled or the
    /// iterator is dropped; either closes the socket.
    public func events() -> FirehoseEventStream {
        FirehoseEventStream(client: self)
    }

    /// Runs the subscription in the calling task, calling `body` for each event in order. Returns when the task is
    /// cancelled; rethrows whatever `body` throws (which also closes the connection).
    public func run(_ body: @escaping @Sendable (FirehoseClientEvent) async throws -> Void) async throws {
        let handled = LockedBox<Int64?>(subscription.cursor)
        let deliver: @Sendable (FirehoseClientEvent) async throws -> Void = { event in
            try await body(event)
            if case .frame(let frame, _) = event, let seq = frame.seq {
                handled.withLock { $0 = seq }
            }
        }
        var backoff = Backoff(policy: configuration.backoff)
        var generator = SystemRandomNumberGenerator()
        var cursor = subscription.cursor
        while !Task.isCancelled {
            let url = subscription.url(cursor: cursor)
            try await deliver(.connecting(url: url, cursor: cursor))
            let outcome = try await connect(url: url, cursor: cursor, deliver: deliver)
            if Task.isCancelled { return }
            logger.debug("firehose connection ended", metadata: ["url": "\(url)", "reason": "\(outcome.reason)"])
            try await deliver(.disconnected(outcome.reason))
            if outcome.frames > 0 { backoff.reset() }
            let delay = backoff.nextDelay(using: &generator)
            try await deliver(.backoff(delay: delay, failures: backoff.failures))
            do {
                try await Task.sleep(for: delay)
            } catch {
                return
            }
            if let resumeCursor {
                cursor = await resumeCursor()
            } else {
                cursor = handled.value
            }
        }
    }
}

/// An error thrown by the consumer, carried out of the WebSocket handler unchanged.
struct ConsumerFailure: Error, Sendable {
    let underlying: any Error
}
