import EventLog
import Firehose
import Logging

/// The one subscription of the relay to a host's `subscribeRepos`: resumes from the committed cursor, reconnects
/// with backoff for as long as the host is not banned, and keeps the host's status current.
struct UpstreamConnection: Sendable {
    let host: HostRuntime
    let log: EventLog
    let pipeline: IngestPipeline
    let configuration: RelayConfiguration
    let metrics: RelayMetrics
    let logger: Logger

    /// Runs until the task is cancelled.
    func run() async {
        let first = committedCursor()
        let subscription: FirehoseSubscription
        do {
            subscription = try FirehoseSubscription(url: host.hostname.webSocketBase, cursor: first)
        } catch {
            logger.error("cannot subscribe to host", metadata: ["host": "\(host.hostname)", "error": "\(error)"])
            return
        }
        let client = FirehoseClient(
            subscription: subscription,
            configuration: FirehoseClientConfiguration(
                backoff: configuration.backoff, pingInterval: configuration.upstreamIdleTimeout / 2,
                handshakeTimeout: configuration.upstreamIdleTimeout),
            logger: logger
        ) { [host] in
            // Reconnect only once everything read so far is handled, from what is durably committed.
            await host.progress.waitUntilDrained()
            return committedCursor()
        }
        logger.info("crawling host", metadata: [
            "host": "\(host.hostname)", "cursor": "\(first.map(String.init) ?? "live")",
        ])
        do {
            try await client.run { event in try await handle(event) }
        } catch is CancellationError {
        } catch {
            logger.error("host connection stopped", metadata: ["host": "\(host.hostname)", "error": "\(error)"])
        }
        setConnected(false)
    }

    /// The stored cursor, or nil (live) for a never-read host under `--new-host-cursor live`.
    func committedCursor() -> Int64? {
        let stored = try? log.read { try $0.host(host.hostname.value) }
        let cursor = stored?.cursor ?? 0
        if cursor == 0, configuration.newHostCursor == .live { return nil }
        return Int64(clamping: cursor)
    }

    private func handle(_ event: FirehoseClientEvent) async throws {
        switch event {
        case .frame(let frame, let bytes):
            if frame.seq != nil { try await respectRateLimit() }
            try await pipeline.accept(frame, bytes: bytes.count, host: host)
        case .connected:
            metrics.upstreamConnects.increment()
            setConnected(true)
            updateStatus(.active, connected: true)
        case .disconnected(let reason):
            setConnected(false)
            logger.info("host disconnected", metadata: ["host": "\(host.hostname)", "reason": "\(reason)"])
        case .backoff(_, let failures):
            host.withLive { $0.consecutiveFailures = failures }
            if failures >= configuration.offlineAfterFailures { updateStatus(.offline, connected: false) }
        case .staleSeq(let seq, let last):
            metrics.ignore("stale_seq")
            pipeline.statistics.ignored("stale_seq")
            logger.debug("host repeated a seq", metadata: [
                "host": "\(host.hostname)", "seq": "\(seq)", "last": "\(last)",
            ])
        case .futureCursor(_, let cursor):
            await resetSequence(after: cursor)
        case .errorFrame(let message):
            logger.warning("host sent an error frame", metadata: [
                "host": "\(host.hostname)", "error": "\(message.error)", "message": "\(message.message ?? "")",
            ])
        case .undecodable(let bytes, let reason):
            pipeline.undecodable(host: host, reason: "\(reason) (\(bytes.count) bytes)")
        case .connecting:
            break
        }
    }

    /// Waits for the host's rate budget (not reading its socket meanwhile); a host that keeps waiting is shown
    /// `throttled`, and `active` again once it reads without waiting.
    private func respectRateLimit() async throws {
        let waited = try await host.limiter.acquire()
        if waited > .zero {
            metrics.rateLimitWaits.increment()
            pipeline.statistics.rateLimited()
        }
        let now = ContinuousClock.now
        let (status, limitedFor) = host.withLive { live -> (HostStatus, Duration?) in
            if waited == .zero {
                live.rateLimitedSince = nil
            } else if live.rateLimitedSince == nil {
                live.rateLimitedSince = now - waited
            }
            return (live.status, live.rateLimitedSince.map { $0.duration(to: now) })
        }
        if let limitedFor, limitedFor >= configuration.throttledAfter, status == .active {
            updateStatus(.throttled, connected: false)
        } else if limitedFor == nil, status == .throttled {
            updateStatus(.active, connected: false)
        }
    }

    /// The host's sequence restarted (a rebuilt or migrated PDS): re-read everything it retains from cursor 0;
    /// events whose rev is not newer than the stored state are dropped as usual.
    private func resetSequence(after cursor: Int64?) async {
        metrics.futureCursors.increment()
        await host.progress.waitUntilDrained()
        let name = host.hostname.value
        do {
            let generation = try log.write { txn -> UInt64 in
                guard var record = try txn.host(name) else { return 0 }
                record.cursor = 0
                record.generation += 1
                try txn.putHost(record)
                return record.generation
            }
            host.withLive { $0.generation = generation }
        } catch {
            logger.error("could not reset host cursor", metadata: ["host": "\(name)", "error": "\(error)"])
        }
        logger.warning("host answered FutureCursor: its sequence was reset; re-reading from cursor 0", metadata: [
            "host": "\(name)", "cursor": "\(cursor.map(String.init) ?? "-")",
        ])
    }

    private func setConnected(_ connected: Bool) {
        let changed = host.withLive { live -> Bool in
            defer { live.connected = connected }
            return live.connected != connected
        }
        if changed { if connected { metrics.upstreamConnected.increment() } else { metrics.upstreamConnected.decrement() } }
    }

    /// Persists a status change (never overriding a ban).
    func updateStatus(_ status: HostStatus, connected: Bool) {
        let changed = host.withLive { live -> Bool in
            guard live.status != .banned, live.status != status else { return false }
            live.status = status
            return true
        }
        guard changed || connected else { return }
        let name = host.hostname.value
        do {
            try log.write { txn in
                guard var record = try txn.host(name), record.status != .banned else { return }
                record.status = status
                if connected { record.lastConnected = txn.now }
                try txn.putHost(record)
            }
        } catch {
            logger.error("could not store host status", metadata: ["host": "\(name)", "error": "\(error)"])
        }
        if changed { logger.info("host status", metadata: ["host": "\(name)", "status": "\(status)"]) }
    }
}
