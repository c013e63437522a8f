import ATData

/// Why an event-stream frame could not be decoded.
public enum FrameError: Error, Equatable, Sendable {
    /// Over the 5,000,000-byte frame cap.
    case frameTooLarge(Int)
    /// The header or body is not canonical DAG-CBOR.
    case cbor(DAGCBORError)
    /// The header lacks `op`, or a message header lacks `t`.
    case badHeader(String)
    /// A required body field is absent.
    case missingField(String)
    /// A body field has an invalid value (bad action, non-TID rev, …).
    case invalidField(String)
}
