import HummingbirdWSClient
import NIOWebSocket
import Logging

/// How one connection went.
struct ConnectionOutcome: Sendable {
    /// Frames handed to the consumer (a productive connection resets the backoff).
    var frames: Int
    var reason: DisconnectReason
}

extension FirehoseClient {
    /// Opens one connection with `cursor` and reads it until it ends; consumer errors are rethrown as they were.
    func connect(
        url: String, cursor: Int64?, deliver: @escaping @Sendable (FirehoseClientEvent) async throws -> Void
    ) async throws -> ConnectionOutcome {
        let session = LockedBox(SessionState())
        let maxMessageBytes = configuration.maxMessageBytes
        let webSocket = configuration.webSocket
        let logger = logger
        let handler: WebSocketDataHandler<WebSocketClient.Context> = { inbound, outbound, _ in
            // An attempt given up on (handshake timeout) that upgrades late must not deliver anything.
            let proceed = session.withLock { state -> Bool in
                if state.abandoned { return false }
                state.upgraded = true
                return true
            }
            guard proceed else { return }
            try await Self.hand(.connected(url: url, cursor: cursor), to: deliver, session: session)
            var order = SeqOrder(cursor: cursor)
            var messages = inbound.messages(maxSize: maxMessageBytes).makeAsyncIterator()
            while let message = try await messages.next() {
                let step = Self.classify(message, cursor: cursor, order: &order)
                try await Self.hand(step.event, to: deliver, session: session)
                if let end = step.end {
                    session.withLock { $0.ending = end }
                    if case .undecodableFrame = end {
                        try? await outbound.close(.unacceptableData, reason: "undecodable frame")
                    }
                    return
                }
                if case .frame = step.event { session.withLock { $0.frames += 1 } }
            }
        }
        do {
            let makeClient: @Sendable () -> WebSocketClient = {
                WebSocketClient(url: url, configuration: webSocket, logger: logger, handler: handler)
            }
            let closeFrame = try await Self.run(
                makeClient, session: session, handshakeTimeout: configuration.handshakeTimeout)
            let state = session.value
            let reason =
                state.ending
                ?? .closed(code: closeFrame.map { UInt16(webSocketErrorCode: $0.closeCode) }, reason: closeFrame?.reason)
            return ConnectionOutcome(frames: state.frames, reason: reason)
        } catch {
            let state = session.value
            // The consumer's own error wins over whatever the close handshake reported afterwards.
            if let failure = state.consumerFailure { throw failure.underlying }
            if let ending = state.ending { return ConnectionOutcome(frames: state.frames, reason: ending) }
            if state.upgraded, let reason = Self.undecodableMessage(error) {
                // The WebSocket layer refused the message before it reached us; report it like any bad frame.
                try await deliver(.undecodable(bytes: [], reason: reason))
                return ConnectionOutcome(frames: state.frames, reason: .undecodableFrame(reason))
            }
            return ConnectionOutcome(
                frames: state.frames, reason: state.upgraded ? .transportError(error) : .connectFailed(error))
        }
    }

    /// Runs the client `makeClient` builds, giving the attempt up when the WebSocket upgrade has not completed
    /// within `handshakeTimeout` (or the task is cancelled before it completes). swift-websocket cannot abort a pending upgrade, so the
    /// attempt is abandoned: it delivers nothing if it upgrades later, and its socket lives until the host closes it.
    static func run(
        _ makeClient: @escaping @Sendable () -> WebSocketClient, session: LockedBox<SessionState>,
        handshakeTimeout: Duration?
    ) async throws -> WebSocketCloseFrame? {
        guard let handshakeTimeout else { return try await makeClient().run() }
        let pending = LockedBox<CheckedContinuation<WebSocketCloseFrame?, any Error>?>(nil)
        let finish: @Sendable (Result<WebSocketCloseFrame?, any Error>) -> Void = { result in
            let continuation = pending.withLock { box -> CheckedContinuation<WebSocketCloseFrame?, any Error>? in
                defer { box = nil }
                return box
            }
            continuation?.resume(with: result)
        }
        let tasks = LockedBox<[Task<Void, Never>]>([])
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { continuation in
                pending.withLock { $0 = continuation }
                if Task.isCancelled, abandonIfNotUpgraded(session) {
                    finish(.failure(CancellationError()))
                    return
                }
                let attempt = Task {
                    do {
                        finish(.success(try await makeClient().run()))
                    } catch {
                        finish(.failure(error))
                    }
                }
                let timer = Task {
                    do {
                        try await Task.sleep(for: handshakeTimeout)
                    } catch {
                        return
                    }
                    if abandonIfNotUpgraded(session) {
                        finish(.failure(HandshakeTimedOut(limit: handshakeTimeout)))
                        attempt.cancel()
                    }
                }
                tasks.withLock { $0 = [attempt, timer] }
            }
        } onCancel: {
            for task in tasks.value { task.cancel() }
            if abandonIfNotUpgraded(session) { finish(.failure(CancellationError())) }
        }
    }

    /// Marks the attempt abandoned unless its upgrade already completed; returns whether it did.
    private static func abandonIfNotUpgraded(_ session: LockedBox<SessionState>) -> Bool {
        session.withLock { state -> Bool in
            if state.upgraded { return false }
            state.abandoned = true
            return true
        }
    }

    /// The bad-message reason for a WebSocket-level refusal of a message (too large, text that is not UTF-8).
    static func undecodableMessage(_ error: any Error) -> UndecodableFrame? {
        if case .invalidFrameLength? = error as? NIOWebSocketError { return .messageTooLarge }
        guard let error = error as? WebSocketClientError else { return nil }
        if error == .serverSentMessageTooLarge { return .messageTooLarge }
        if error == .serverSentDataInconsistentWithMessage { return .textMessage }
        return nil
    }

    /// Delivers from inside the WebSocket handler, remembering a consumer error so it is not mistaken for a
    /// transport error.
    private static func hand(
        _ event: FirehoseClientEvent, to deliver: @Sendable (FirehoseClientEvent) async throws -> Void,
        session: LockedBox<SessionState>
    ) async throws {
        do {
            try await deliver(event)
        } catch {
            let failure = ConsumerFailure(underlying: error)
            session.withLock { $0.consumerFailure = failure }
            throw failure
        }
    }

    /// What one received message becomes, and whether it ends the connection.
    static func classify(_ message: WebSocketMessage, cursor: Int64?, order: inout SeqOrder) -> (
        event: FirehoseClientEvent, end: DisconnectReason?
    ) {
        let bytes: [UInt8]
        switch message {
        case .text(let text):
            return (.undecodable(bytes: Array(text.utf8), reason: .textMessage), .undecodableFrame(.textMessage))
        case .binary(let buffer):
            bytes = Array(buffer.readableBytesView)
        }
        let frame: FirehoseFrame
        do {
            frame = try FrameDecoder.decode(bytes)
        } catch {
            return (.undecodable(bytes: bytes, reason: .frame(error)), .undecodableFrame(.frame(error)))
        }
        switch frame {
        case .error(let message) where message.error == "FutureCursor":
            return (.futureCursor(message, cursor: cursor), .errorFrame(message))
        case .error(let message):
            return (.errorFrame(message), .errorFrame(message))
        default:
            if let seq = frame.seq {
                let last = order.last
                guard order.admit(seq) else { return (.staleSeq(seq: seq, last: last ?? seq), nil) }
            }
            return (.frame(frame, bytes: bytes), nil)
        }
    }
}

/// What the WebSocket handler learned, read after the connection ends.
struct SessionState: Sendable {
    var upgraded = false
    /// Given up on before the upgrade completed (see `run(_:session:handshakeTimeout:)`).
    var abandoned = false
    var frames = 0
    var ending: DisconnectReason?
    var consumerFailure: ConsumerFailure?
}

/// The WebSocket upgrade did not complete in time.
struct HandshakeTimedOut: Error, CustomStringConvertible {
    let limit: Duration
    var description: String { "no WebSocket upgrade within \(limit)" }
}
