import ATData
import ATRepo
import Firehose

/// One frame a simulated host emitted.
public struct EmittedEvent: Sendable {
    /// Index of the emitting host.
    public let hostIndex: Int
    /// `127.0.0.1:<port>` of the emitting host.
    public let hostname: String
    /// The seq it took; nil for live-only frames (`Fault.malformedCBOR`, `emitRaw`).
    public let seq: Int64?
    /// The exact frame bytes sent.
    public let bytes: [UInt8]

    /// The decoded frame (nil when the bytes do not decode, as with `Fault.malformedCBOR`).
    public var frame: FirehoseFrame? { try? FrameDecoder.decode(bytes) }

    /// The `#commit` message, if this is one that decodes.
    public var commit: CommitMessage? {
        if case .commit(let message) = frame { return message }
        return nil
    }
}

/// What `SimulatedNetwork.write` did.
public struct WriteOutcome: Sendable {
    /// The emitted `#commit` (faulted or not).
    public let event: EmittedEvent
    /// The fault applied, if any.
    public let fault: Fault?
    /// True when the account's repository moved to this commit (good writes, and nothing else).
    public let applied: Bool
    /// The ops as sent.
    public let ops: [RepoOp]
    /// The rev as sent.
    public let rev: String
}

/// What `SimulatedNetwork.migrate` emitted.
public struct MigrationOutcome: Sendable {
    /// `#identity`, `#account` (active) and the continuation `#commit`, on the new host.
    public let newHostEvents: [EmittedEvent]
    /// `#account` with the old host's status for the account (nil when it was asked to stay silent).
    public let oldHostEvent: EmittedEvent?
}
