import EventLog
import Firehose
import HummingbirdWebSocket
import Logging
import NIOCore
import NIOWebSocket

/// Serves `com.atproto.sync.subscribeRepos`: each subscriber is a cursor over the log (design §2, §4).
///
/// Replay and live delivery are one loop: read the next events after the position, send their shared frame
/// variant, sleep on the writer's notification when caught up. A stalled socket only stalls its own loop; nothing
/// is queued per subscriber, so memory does not grow with a slow consumer.
public struct SubscribeReposService: Sendable {
    /// The log served.
    public let log: EventLog
    /// Shared frame variants.
    public let cache: FrameVariantCache
    /// Connected subscribers.
    public let registry: SubscriberRegistry
    /// Metrics.
    public let metrics: ServeMetrics
    /// Events read per batch.
    public var batchSize = 256
    /// How often a subscriber's watchdog looks for a stalled socket whose position fell out of retention (it closes
    /// the connection after one full interval without progress).
    public var stallCheckInterval: Duration = .seconds(5)
    /// How long a client may take to read the last frames and answer the close frame before it is dropped.
    public var closeGracePeriod: Duration = .seconds(30)
    let logger: Logger

    /// Creates the service.
    public init(log: EventLog, cache: FrameVariantCache = FrameVariantCache(), registry: SubscriberRegistry,
                metrics: ServeMetrics, logger: Logger)
    {
        self.log = log
        self.cache = cache
        self.registry = registry
        self.metrics = metrics
        self.logger = logger
    }

    /// Runs one subscriber until it disconnects, falls out of retention, or the service shuts down.
    /// Frames go straight to `channel` in batches (`ChannelFrameWriter`); `outbound` only sends the close frame.
    /// `closeConnection` drops the TCP connection (used when the client stopped reading and fell out of retention).
    public func serve(_ parameters: SubscribeParameters, compressed: Bool, remoteAddress: String,
                      inbound: WebSocketInboundStream, outbound: WebSocketOutboundWriter, channel: any Channel,
                      closeConnection: @escaping @Sendable () -> Void = {}) async throws
    {
        let writer = ChannelFrameWriter(channel: channel)
        let bounds = try log.read { txn in
            (head: try txn.headSeq(), oldest: try txn.oldestSeq(), pruned: try txn.prunedThrough(),
             epoch: try txn.epoch())
        }
        let start: UInt64
        switch CursorPlan.decide(cursor: parameters.cursor, head: bounds.head, oldest: bounds.oldest,
                                 prunedThrough: bounds.pruned, epoch: bounds.epoch)
        {
        case .future(let message):
            try await writer.write(FrameEncoder.encode(ErrorMessage(error: "FutureCursor", message: message)))
            // A client that reads the 101, the frame and our FIN in one go may lose the frame in its upgrade
            // handling (swift-nio 2.101 does); a short pause before the close lets the frame arrive on its own.
            try? await Task.sleep(for: .milliseconds(250))
            return
        case .outdated(let message):
            try await writer.write(FrameEncoder.encode(InfoMessage(name: "OutdatedCursor", message: message)))
            start = 0
        case .replay(let after):
            start = after
        }
        let variant = FrameVariant(stripped: parameters.stripProofs, compressed: compressed)
        let id = registry.add(remoteAddress: remoteAddress, parameters: parameters, compressed: compressed,
                              position: start)
        metrics.subscribers.record(registry.count)
        defer {
            registry.remove(id)
            metrics.subscribers.record(registry.count)
        }
        var subscriberLogger = logger
        subscriberLogger[metadataKey: "subscriber"] = "\(id)"
        subscriberLogger[metadataKey: "remote"] = "\(remoteAddress)"
        subscriberLogger.info("subscriber connected", metadata: ["start": "\(start)", "variant": "\(variant)"])
        let connectionLogger = subscriberLogger
        let progress = SendProgress(position: start)

        // The client sends nothing we use, but reading its frames is how a disconnect is noticed while idle. The
        // connection ends when the reader ends (the client left or answered our close frame) or the watchdog drops
        // it. The reader is not cancelled before that: ending the inbound stream closes the channel and would
        // discard frames still queued for a slow client (such as the final error frame).
        // Each task reports whether its end ends the connection.
        try await withThrowingTaskGroup(of: Bool.self) { group in
            group.addTask {
                do {
                    try await self.send(from: start, shard: parameters.shard, variant: variant, id: id,
                                        progress: progress, writer: writer, logger: connectionLogger)
                } catch {
                    connectionLogger.debug("subscriber send ended", metadata: ["error": "\(error)"])
                }
                try? await outbound.close(.normalClosure, reason: nil)
                // A client that never answers the close frame is dropped after a grace period.
                do { try await Task.sleep(for: closeGracePeriod) } catch { return false }
                closeConnection()
                return false
            }
            group.addTask {
                await self.watchForStall(progress, close: closeConnection, logger: connectionLogger)
                return true
            }
            group.addTask {
                for try await _ in inbound {}
                return true
            }
            while let endsConnection = try await group.next(), !endsConnection {}
            group.cancelAll()
        }
        subscriberLogger.info("subscriber disconnected")
    }

    private func send(from start: UInt64, shard: ShardFilter?, variant: FrameVariant, id: Int,
                      progress: SendProgress, writer: ChannelFrameWriter, logger: Logger) async throws
    {
        var cursor = LogCursor(log: log, after: start, shard: shard)
        let cache = self.cache
        while !Task.isCancelled {
            let frames: [ByteBuffer]
            do {
                // Subscribers near the head ask for the same seqs at about the same time, so each frame is copied
                // out of the log and framed once, and the buffer shared (per-subscriber copies were most of the
                // fan-out's allocations, and glibc malloc slowed down under them over a long run).
                frames = try await cursor.next(limit: batchSize) { cache.wireFrame(for: $0, variant: variant) }
            } catch LogCursor.Failure.fellBehind(let position, let pruned) {
                metrics.tooSlow.increment()
                logger.warning("subscriber fell out of retention", metadata: ["position": "\(position)",
                                                                              "prunedThrough": "\(pruned)"])
                progress.writesStarted.add(1, ordering: .relaxed)
                try await writer.write(FrameEncoder.encode(
                    ErrorMessage(error: "ConsumerTooSlow", message: "events after \(position) were pruned")))
                progress.writesFinished.add(1, ordering: .relaxed)
                return
            }
            if frames.isEmpty { return }  // log closed or task cancelled
            progress.position.store(cursor.position, ordering: .relaxed)
            let bytes = frames.reduce(0) { $0 + $1.readableBytes }
            // The whole batch in one flush; returning means the socket took it (see ChannelFrameWriter), so a
            // client that stopped reading has at most one batch queued and its watchdog sees the write pending.
            progress.writesStarted.add(frames.count, ordering: .relaxed)
            try await writer.write(wireFrames: frames)
            progress.writesFinished.add(frames.count, ordering: .relaxed)
            metrics.sent(variant, frames: frames.count, bytes: bytes)
            registry.update(id, position: cursor.position)
        }
    }

    /// Closes the connection once the socket has accepted nothing for a whole interval while the events after the
    /// subscriber's position have been deleted (it is then certain to end with `ConsumerTooSlow`, which its full
    /// socket cannot take). Ends when the task is cancelled.
    private func watchForStall(_ progress: SendProgress, close: @Sendable () -> Void, logger: Logger) async {
        var finished = -1
        while true {
            do { try await Task.sleep(for: stallCheckInterval) } catch { return }
            let position = progress.position.load(ordering: .relaxed)
            if progress.isStalled(since: finished), position > 0, position < log.prunedThrough {
                metrics.tooSlow.increment()
                logger.warning("stalled subscriber fell out of retention; closing the connection",
                               metadata: ["position": "\(position)", "prunedThrough": "\(log.prunedThrough)"])
                close()
                return
            }
            finished = progress.writesFinished.load(ordering: .relaxed)
        }
    }
}
