import EventLog
import Firehose
import Logging

/// Takes frames from the upstream connections, hands each to its DID's serial lane for validation and sends the
/// outcome to the log writer; counts and logs every drop.
final class IngestPipeline: Sendable {
    let validator: EventValidator
    let writer: IngestWriter
    let serializer = DIDSerializer()
    let metrics: RelayMetrics
    let statistics: RelayStatistics
    let logger: Logger

    init(validator: EventValidator, writer: IngestWriter, metrics: RelayMetrics, statistics: RelayStatistics,
         logger: Logger)
    {
        self.validator = validator
        self.writer = writer
        self.metrics = metrics
        self.statistics = statistics
        self.logger = logger
    }

    /// Handles one decoded frame from `host`; returns once the frame is queued (suspends while the host has too
    /// many events in flight, which stops reading its socket).
    func accept(_ frame: FirehoseFrame, bytes: Int, host: HostRuntime) async throws {
        metrics.upstreamBytes.increment(by: bytes)
        metrics.receive(Self.kind(frame))
        statistics.received()
        guard let seq = frame.seq, seq >= 0, let did = frame.did else {
            switch frame {
            case .info(let info):
                logger.info("upstream #info", metadata: [
                    "host": "\(host.hostname)", "name": "\(info.name)", "message": "\(info.message ?? "")",
                ])
            case .error(let error):
                logger.warning("upstream error frame", metadata: [
                    "host": "\(host.hostname)", "error": "\(error.error)", "message": "\(error.message ?? "")",
                ])
            default:
                record(.unknownMessageType, host: host, did: nil)
            }
            return
        }
        await host.progress.waitForCapacity()
        host.progress.register(UInt64(seq))
        metrics.inFlight.increment()
        let event = UpstreamEvent(
            host: host, generation: host.generation, seq: UInt64(seq), frame: frame, receivedAt: .now)
        serializer.submit(did) { [self] in
            await process(event, did: did)
            metrics.inFlight.decrement()
        }
    }

    /// Counts an undecodable frame (the client reconnects from the committed cursor).
    func undecodable(host: HostRuntime, reason: String) {
        record(.undecodableFrame, host: host, did: nil, detail: reason)
    }

    private func process(_ event: UpstreamEvent, did: String) async {
        let change: IngestChange
        switch await validator.handle(event) {
        case .write(let value):
            change = value
        case .drop(let reason, let value):
            change = value
            record(reason, host: event.host, did: did)
        case .ignore(let reason, let value):
            change = value
            metrics.ignore(reason)
            statistics.ignored(reason)
            logger.debug("ignored upstream event", metadata: [
                "host": "\(event.host.hostname)", "did": "\(did)", "seq": "\(event.seq)", "reason": "\(reason)",
            ])
        }
        // Not waiting for the commit: the DID's next event reads this one's account record from the writer's
        // staged records, and the host's cursor moves only once the batch holding this change commits.
        do {
            try writer.enqueue(change)
        } catch {
            logger.error("event not written", metadata: [
                "host": "\(event.host.hostname)", "did": "\(did)", "seq": "\(event.seq)", "error": "\(error)",
            ])
        }
    }

    func record(_ reason: DropReason, host: HostRuntime, did: String?, detail: String? = nil) {
        metrics.drop(reason)
        statistics.dropped(reason.label)
        host.countDrop(reason)
        var metadata: Logger.Metadata = ["host": "\(host.hostname)", "reason": "\(reason.label)"]
        if let did { metadata["did"] = "\(did)" }
        if let detail { metadata["detail"] = "\(detail)" } else { metadata["detail"] = "\(reason)" }
        logger.info("dropped upstream event", metadata: metadata)
    }

    static func kind(_ frame: FirehoseFrame) -> String {
        switch frame {
        case .commit: "commit"
        case .sync: "sync"
        case .identity: "identity"
        case .account: "account"
        case .info: "info"
        case .error: "error"
        case .unknown: "unknown"
        }
    }
}
