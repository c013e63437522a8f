/// What the subscriber client reports, in stream order: frames plus connection lifecycle.
public enum FirehoseClientEvent: Sendable {
    /// About to open a connection to `url` (which carries `cursor`, `nil` meaning live).
    case connecting(url: String, cursor: Int64?)
    /// The WebSocket upgrade succeeded.
    case connected(url: String, cursor: Int64?)
    /// A decoded frame (a message, `#info`, or an unknown `op`/`t`) with its exact bytes as received.
    case frame(FirehoseFrame, bytes: [UInt8])
    /// A message whose `seq` did not increase on this connection (or was not above the cursor); not delivered.
    case staleSeq(seq: Int64, last: Int64)
    /// The host answered the `cursor` we sent with `FutureCursor`; the connection ends and is reopened from the
    /// resume cursor (the relay resets that host to cursor 0 before it is asked again).
    case futureCursor(ErrorMessage, cursor: Int64?)
    /// Any other error frame (`ConsumerTooSlow`, …); the connection ends and is reopened.
    case errorFrame(ErrorMessage)
    /// A frame that could not be decoded; the client closes the connection and reopens it from the resume cursor.
    case undecodable(bytes: [UInt8], reason: UndecodableFrame)
    /// The connection ended (or never opened).
    case disconnected(DisconnectReason)
    /// The next connection attempt waits `delay`; `failures` counts attempts since the last productive connection.
    case backoff(delay: Duration, failures: Int)
}

/// Why a received WebSocket message is not a usable frame.
public enum UndecodableFrame: Error, Sendable, Equatable {
    /// A binary message the frame decoder rejected.
    case frame(FrameError)
    /// A text message (the stream is binary DAG-CBOR); also a text message that is not valid UTF-8.
    case textMessage
    /// A message over `maxMessageBytes` (the client stopped reading it; its bytes are not kept).
    case messageTooLarge
}

/// Why a connection ended.
public enum DisconnectReason: Sendable {
    /// No WebSocket was established: refused, DNS, TLS, or an HTTP answer other than the upgrade.
    case connectFailed(any Error)
    /// The stream ended: a close frame from the server (`code`, `reason`) or the TCP connection ending.
    case closed(code: UInt16?, reason: String?)
    /// The transport failed mid-stream (reset, missed pong, oversized or malformed WebSocket framing).
    case transportError(any Error)
    /// We ended it after an error frame (`FutureCursor` included).
    case errorFrame(ErrorMessage)
    /// We ended it after an undecodable frame.
    case undecodableFrame(UndecodableFrame)
}

extension FirehoseClientEvent: CustomStringConvertible {
    /// A one-line summary for logs (frame bodies are not printed).
    public var description: String {
        switch self {
        case .connecting(let url, _): "connecting to \(url)"
        case .connected(let url, _): "connected to \(url)"
        case .frame(let frame, let bytes): "frame seq=\(frame.seq.map(String.init) ?? "-") bytes=\(bytes.count)"
        case .staleSeq(let seq, let last): "skipped seq \(seq) (last \(last))"
        case .futureCursor(_, let cursor): "FutureCursor for cursor \(cursor.map(String.init) ?? "-")"
        case .errorFrame(let message): "error frame \(message.error): \(message.message ?? "")"
        case .undecodable(let bytes, let reason): "undecodable frame (\(bytes.count) bytes): \(reason)"
        case .disconnected(let reason): "disconnected: \(reason)"
        case .backoff(let delay, let failures): "reconnecting in \(delay) (failures: \(failures))"
        }
    }
}
