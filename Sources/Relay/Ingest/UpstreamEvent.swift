import EventLog
import Firehose

/// One message read from a host, with what the pipeline needs to handle it.
struct UpstreamEvent: Sendable {
    /// The host it came from.
    let host: HostRuntime
    /// The host's sequence generation when it was read (see ``HostState/generation``).
    let generation: UInt64
    /// Upstream seq.
    let seq: UInt64
    /// The decoded frame.
    let frame: FirehoseFrame
    /// When it was read.
    let receivedAt: ContinuousClock.Instant

    /// A change that only completes this event's ticket (a drop or an ignored replay).
    var skip: IngestChange {
        IngestChange(host: host.hostname.value, upstreamSeq: seq, receivedAt: receivedAt)
    }
}
