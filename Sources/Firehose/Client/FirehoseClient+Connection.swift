import HummingbirdWSClient
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
        let client = WebSocketClient(url: url, configuration: configuration.webSocket, logger: logger) {
            inbound, outbound, _ in
            session.withLock { $0.upgraded = true }
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
            let closeFrame = try await client.run()
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
            return ConnectionOutcome(
                frames: state.frames, reason: state.upgraded ? .transportError(error) : .connectFailed(error))
        }
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
    var frames = 0
    var ending: DisconnectReason?
    var consumerFailure: ConsumerFailure?
}
