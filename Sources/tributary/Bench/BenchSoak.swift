import ArgumentParser
import EventLog
import Foundation
import Logging
import Relay
import NIOPosix
import RelayHTTP
import Simulator

/// `tributary bench soak`: the relay under a steady simulated load for a long time, with many live consumers;
/// reports memory over time, event loss (which must be zero) and error counts.
struct BenchSoak: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "soak",
        abstract: "Soak test: simulated hosts at --rate events/s, --subscribers live consumers, for --duration.",
        discussion: """
            Everything runs in this process on 127.0.0.1: the simulated PDS hosts and PLC directory, the relay \
            (verifying, logging to a temporary folder with --retention, serving) and raw WebSocket consumers that \
            check every seq arrives once and in order. Every --report-every it prints one line (RSS, events, head \
            seq, consumer lag, drops); at the end it drains and prints the loss accounting. Exits with status 1 when \
            an event was lost or duplicated, a consumer disconnected, or the relay dropped an event.
            """)

    @Option(help: "How long to run (e.g. 1h, 10m, 90s).")
    var duration = DurationArgument(duration: .seconds(600), text: "10m")

    @Option(help: "Upstream events per second (all hosts together).")
    var rate = 2_000.0

    @Option(help: "Live consumers of the relay's firehose.")
    var subscribers = 50

    @Option(help: "Simulated PDS hosts.")
    var hosts = 4

    @Option(help: "Accounts (half k256, half p256).")
    var accounts = 500

    @Option(help: "Interval of the progress lines.")
    var reportEvery = DurationArgument(duration: .seconds(60), text: "60s")

    @Option(help: "The relay's log retention during the run (pruning runs every 30 s).")
    var retention = DurationArgument(duration: .seconds(600), text: "10m")

    func run() async throws {
        guard let total = duration.duration, let interval = reportEvery.duration else {
            throw ValidationError("--duration and --report-every must be positive")
        }
        var logger = Logger(label: "tributary.soak")
        logger.logLevel = .error
        let network = try await SimulatedNetwork.start(NetworkConfiguration(
            hostCount: hosts, historyLimit: max(10_000, Int(rate * 300) / max(1, hosts)), seed: 2026, logger: logger))
        Console.write("soak: \(hosts) hosts, \(accounts) accounts, \(rate) events/s, \(subscribers) subscribers, "
            + "\(duration) (retention \(retention))")
        _ = try await network.populate(accounts: accounts, p256Fraction: 0.5)
        let relay = try await EmbeddedRelay.start(
            crawl: network.hosts.map(\.hostname), plcURL: network.plcURL,
            handleBaseURL: { [plc = network.plc] in plc.handleBaseURL(for: $0) }, logger: logger,
            retention: RetentionPolicy(maxAge: retention.duration)
        ) { configuration in
            configuration.trustedHosts = ["127.0.0.1:*"]
        }
        let pruning = Task { [log = relay.log] in await log.runRetention(every: .seconds(30)) }

        // The backlog of account creation first, so the consumers start at a settled head.
        let settledHead = try await waitForSettledHead(relay.log, network: network)
        let before = relay.relay.statistics.snapshot
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        var consumers: [SoakSubscriber] = []
        for _ in 0..<subscribers {
            consumers.append(try await SoakSubscriber.connect(group: group, port: relay.port,
                                                              cursor: Int64(settledHead)))
        }
        Console.write("settled at seq \(settledHead) after \(before.emitted) events; consumers connected")
        Console.write("elapsed_s rss_mib anon_mib file_mib head_n relay_events consumer_min consumer_max lag_max "
            + "upstream_lag ignored drops missing disconnected")

        let start = ContinuousClock.now
        // About as many deletes as creates, so the simulated repositories (held in this process) stay the same
        // size over an hour and the memory samples show the relay, not the simulator's growing repositories.
        let steady = WorkloadMix(creates: 0.33, deletesAndUpdates: 0.55, batches: 0.02)
        let workload = Task { await network.runWorkload(rate: rate, mix: steady) }
        var samples: [Double] = []
        while start.duration(to: .now) < total {
            try? await Task.sleep(for: min(interval, total - start.duration(to: .now)))
            let line = sample(relay: relay, network: network, consumers: consumers, before: before,
                              elapsed: start.duration(to: .now))
            samples.append(line.anonymous)
            Console.write(line.text)
        }
        workload.cancel()
        let upstream = await workload.value

        // Drain: every consumer must reach the head, and the head must stop moving.
        let finalHead = try await waitForSettledHead(relay.log, network: network)
        let drainDeadline = ContinuousClock.now + .seconds(120)
        while ContinuousClock.now < drainDeadline,
              consumers.contains(where: { $0.snapshot.lastSeq < Int64(finalHead) && $0.isConnected })
        {
            try? await Task.sleep(for: .milliseconds(200))
        }
        let after = relay.relay.statistics.snapshot
        let appended = Int(finalHead - settledHead)
        let drops = Int(after.droppedTotal - before.droppedTotal)
        let ignored = Int(after.ignored.values.reduce(0, +) - before.ignored.values.reduce(0, +))
        let relayLoss = upstream.events - appended - drops - ignored
        let tallies = consumers.map(\.snapshot)
        let consumerLoss = tallies.map { appended - $0.received + $0.otherFrames }.max() ?? 0
        let missing = tallies.map(\.missing).reduce(0, +)
        let outOfOrder = tallies.map(\.outOfOrder).reduce(0, +)
        let other = tallies.map(\.otherFrames).reduce(0, +)
        let disconnected = consumers.filter { !$0.isConnected }.count
        Console.write("upstream events \(upstream.events) (\(upstream.commits) commits); relay appended \(appended), "
            + "dropped \(drops) \(after.dropped), ignored \(ignored) \(after.ignored); relay loss \(relayLoss)")
        Console.write("consumers: \(consumers.count), each received \(tallies.map(\.received).min() ?? 0)–"
            + "\(tallies.map(\.received).max() ?? 0) of \(appended); most lost by one \(consumerLoss), "
            + "seqs missing \(missing), out of order \(outOfOrder), other frames \(other), "
            + "disconnected \(disconnected)")
        let peak = samples.max() ?? 0
        Console.write(String(format: "anonymous memory (heap): first %.0f MiB, last %.0f MiB, peak %.0f MiB",
                             samples.first ?? 0, samples.last ?? 0, peak))
        let failed = relayLoss != 0 || consumerLoss != 0 || missing != 0 || outOfOrder != 0 || other != 0
            || disconnected != 0 || drops != 0
        Console.write("soak \(failed ? "FAILED" : "passed"): loss=\(max(relayLoss, consumerLoss)) missing=\(missing) "
            + "out_of_order=\(outOfOrder) drops=\(drops) disconnected=\(disconnected) peak_anon_mib=\(Int(peak))")

        for consumer in consumers { await consumer.close() }
        try? await group.shutdownGracefully()
        pruning.cancel()
        await relay.stop()
        await network.shutdown()
        if failed { throw ExitCode(1) }
    }

    /// Polls until the relay has handled everything the hosts emitted (its stored host cursors are at the hosts'
    /// heads) and the log's head has not moved for two seconds.
    private func waitForSettledHead(_ log: EventLog, network: SimulatedNetwork) async throws -> UInt64 {
        var head = try log.read { try $0.headSeq() }
        var stableSince = ContinuousClock.now
        let deadline = ContinuousClock.now + .seconds(600)
        while ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(250))
            let now = try log.read { try $0.headSeq() }
            if now != head || Self.ingestLag(log, network) > 0 {
                head = now
                stableSince = .now
            } else if stableSince.duration(to: .now) >= .seconds(2) {
                return head
            }
        }
        throw ValidationError("the relay did not settle within 10 minutes")
    }

    /// Events the hosts have emitted that the relay has not handled yet (from its stored host cursors).
    static func ingestLag(_ log: EventLog, _ network: SimulatedNetwork) -> Int64 {
        let cursors = (try? log.read { txn in try network.hosts.map { try txn.host($0.hostname)?.cursor ?? 0 } })
            ?? []
        guard cursors.count == network.hosts.count else { return .max }
        return zip(network.hosts, cursors).map { max(0, $0.sequencer.headSeq - Int64($1)) }.reduce(0, +)
    }

    /// One progress line.
    private func sample(relay: EmbeddedRelay, network: SimulatedNetwork, consumers: [SoakSubscriber],
                        before: RelayStatistics.Snapshot, elapsed: Duration) -> (text: String, anonymous: Double)
    {
        let head = (try? relay.log.read { try $0.headSeq() }) ?? 0
        let upstreamLag = Self.ingestLag(relay.log, network)
        let stats = relay.relay.statistics.snapshot
        let tallies = consumers.map(\.snapshot)
        let received = tallies.map(\.received)
        let lag = tallies.map { Int64(head) - $0.lastSeq }.max() ?? 0
        let rss = ProcessCPU.residentMiB()
        let split = ProcessCPU.residentSplitMiB()
        let columns: [Any] = [
            elapsed.components.seconds, Int(rss), Int(split.anonymous), Int(split.file), head & ((1 << 40) - 1),
            stats.emitted - before.emitted,
            received.min() ?? 0, received.max() ?? 0, lag, upstreamLag,
            stats.ignored.values.reduce(0, +) - before.ignored.values.reduce(0, +),
            stats.droppedTotal - before.droppedTotal,
            tallies.map(\.missing).reduce(0, +), consumers.filter { !$0.isConnected }.count,
        ]
        let text = columns.map { "\($0)" }.joined(separator: " ")
        return (text, split.anonymous)
    }
}
