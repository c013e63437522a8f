import EventLog
import Firehose

/// One message read from a host, with what the pipeline needs to handle it.
///
/// A class: the rules pass it along and keep it, and copying the decoded frame's fields (a dozen references for a
/// `#commit`) at every step showed up in profiles.
final class UpstreamEvent: Sendable {
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

    init(host: HostRuntime, generation: UInt64, seq: UInt64, frame: FirehoseFrame,
         receivedAt: ContinuousClock.Instant)
    {
        self.host = host
        self.generation = generation
        self.seq = seq
        self.frame = frame
        self.receivedAt = receivedAt
    }

    /// A change that only completes this event's ticket (a drop or an ignored replay).
    var skip: IngestChange {
        IngestChange(host: host.hostname.value, upstreamSeq: seq, receivedAt: receivedAt)
    }
}
