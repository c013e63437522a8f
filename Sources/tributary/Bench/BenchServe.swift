import ArgumentParser
import Dispatch
import Firehose
import Foundation
import NIOCore
import NIOPosix
import RelayHTTP

/// `tributary bench serve`: the firehose service under load — replay throughput against a loopback ceiling,
/// fan-out latency and CPU, and the cost of shared compression.
struct BenchServe: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Benchmark subscribeRepos: replay vs a loopback ceiling, fan-out latency, shared deflate cost.",
        discussion: """
            Runs the relay's firehose service in-process on 127.0.0.1 over a real LMDB log in a temporary folder; \
            subscribers are raw-NIO WebSocket clients in the same process (they share the machine's cores with \
            the server). The last line is machine-readable: replay_ratio=… fanout_p99_ms=… deflate_cpu_ratio=…
            """)

    @Option(help: "Events pre-filled into the log and replayed to one subscriber.")
    var events = 50_000

    @Option(help: "Subscribers in the fan-out and the many-subscriber compression run.")
    var subscribers = 100

    @Option(help: "Events appended per second during the fan-out and compression runs.")
    var rate = 2_000

    @Option(help: "Length of each paced run (e.g. 10s).")
    var duration = DurationArgument(duration: .seconds(10), text: "10s")

    @Option(help: "Folder of the real firehose_commit_*.json samples.")
    var realdata = "../shared/realdata/firehose"

    @Option(help: "Event-loop threads of the benchmark clients.")
    var clientThreads = 1

    @Option(help: "Replay measurements per side (the median is reported).")
    var repetitions = 3

    func validate() throws {
        guard events > 0, subscribers > 0, rate > 0, clientThreads > 0, repetitions > 0 else {
            throw ValidationError("--events, --subscribers, --rate, --client-threads, --repetitions must be positive")
        }
        guard duration.duration != nil else { throw ValidationError("--duration must be positive") }
    }

    var pacedEvents: Int {
        let seconds = Double((duration.duration ?? .seconds(10)).components.seconds)
            + Double((duration.duration ?? .zero).components.attoseconds) / 1e18
        return max(1, Int(Double(rate) * seconds))
    }

    func run() async throws {
        let frames = try BenchFrames.load(directory: realdata)
        print("tributary bench serve — \(Date().formatted(.iso8601)) — \(ProcessInfo.processInfo.activeProcessorCount) cores")
        print("frames: \(frames.templates.count) real #commit samples from \(realdata), "
            + String(format: "mean %.0f bytes per frame", frames.meanFrameBytes))
        let clients = MultiThreadedEventLoopGroup(numberOfThreads: clientThreads)
        let relay = try await BenchRelay.start(maxSubscribers: max(16, subscribers + 8))
        do {
            let replay = try await measureReplay(relay: relay, frames: frames, clients: clients)
            let fanout = try await measureFanout(relay: relay, frames: frames, clients: clients)
            let deflate = try await measureDeflate(relay: relay, frames: frames, clients: clients)
            print("")
            print(String(format: "replay_ratio=%.3f replay_events_per_s=%.0f replay_mb_per_s=%.1f "
                             + "ceiling_mb_per_s=%.1f fanout_p50_ms=%.2f fanout_p99_ms=%.2f fanout_cpu_cores=%.2f "
                             + "deflate_cpu_ratio=%.3f",
                         replay.ratio, replay.eventsPerSecond, replay.megabytesPerSecond, replay.ceilingMegabytes,
                         fanout.p50, fanout.p99, fanout.cores, deflate))
        } catch {
            await relay.stop()
            try? await clients.shutdownGracefully()
            throw error
        }
        await relay.stop()
        try await clients.shutdownGracefully()
    }

    // MARK: (a) replay

    struct ReplayResult {
        var ratio: Double
        var eventsPerSecond: Double
        var megabytesPerSecond: Double
        var ceilingMegabytes: Double
    }

    /// One subscriber reads the whole pre-filled log; the ceiling server sends the same frames from memory.
    func measureReplay(relay: BenchRelay, frames: BenchFrames, clients: MultiThreadedEventLoopGroup) async throws -> ReplayResult {
        let fillSeconds = try BenchWriter.fill(relay.log, frames: frames, count: events)
        let stored = try relay.log.read { txn in try txn.events(after: 0, limit: events) }
        let seqs = (first: stored.first?.seq ?? 0, last: stored.last?.seq ?? 0)
        let bytes = stored.reduce(0) { $0 + $1.frame.count }
        print("")
        print(String(format: "(a) replay: %d events, %.1f MB, pre-filled in %.2f s (%.0f events/s appended)",
                     events, Double(bytes) / 1e6, fillSeconds, Double(events) / fillSeconds))
        let ceiling = BenchCeilingServer(frames: stored.map { ByteBuffer(bytes: $0.frame) })
        let (ports, continuation) = AsyncStream.makeStream(of: Int.self)
        let ceilingTask = Task { try await ceiling.run { continuation.yield($0) } }
        defer { ceilingTask.cancel() }
        var portIterator = ports.makeAsyncIterator()
        guard let ceilingPort = await portIterator.next() else { throw CancellationError() }

        var relaySeconds: [Double] = []
        var ceilingSeconds: [Double] = []
        for _ in 0..<repetitions {
            ceilingSeconds.append(try await timeOneReader(clients: clients, port: ceilingPort, path: "/frames",
                                                          expected: seqs, bytes: bytes))
            relaySeconds.append(try await timeOneReader(clients: clients, port: relay.port,
                                                        path: BenchRelay.path(cursor: 0), expected: seqs, bytes: bytes))
            _ = await relay.waitForSubscribers(0)
        }
        let relayMedian = relaySeconds.sorted()[relaySeconds.count / 2]
        let ceilingMedian = ceilingSeconds.sorted()[ceilingSeconds.count / 2]
        let result = ReplayResult(
            ratio: ceilingMedian / relayMedian, eventsPerSecond: Double(events) / relayMedian,
            megabytesPerSecond: Double(bytes) / 1e6 / relayMedian, ceilingMegabytes: Double(bytes) / 1e6 / ceilingMedian)
        print("| replay to 1 subscriber | events/s | MB/s | runs (s) |")
        print("|---|---|---|---|")
        print(String(format: "| relay (LMDB cursor → shared frame → WebSocket) | %.0f | %.1f | ",
                     result.eventsPerSecond, result.megabytesPerSecond) + Self.list(relaySeconds) + " |")
        print(String(format: "| ceiling (Hummingbird WebSocket, frames from memory) | %.0f | %.1f | ",
                     Double(events) / ceilingMedian, result.ceilingMegabytes) + Self.list(ceilingSeconds) + " |")
        print(String(format: "| ratio relay/ceiling (target ≥ 0.90) | %.3f | | ", result.ratio)
            + (result.ratio >= 0.9 ? "met" : "NOT met") + " |")
        return result
    }

    /// Connects one reader, waits for every frame, checks the first and last seq; returns the seconds taken.
    func timeOneReader(clients: MultiThreadedEventLoopGroup, port: Int, path: String, expected: (first: UInt64, last: UInt64),
                       bytes: Int) async throws -> Double
    {
        let started = DispatchTime.now().uptimeNanoseconds
        let reader = try await BenchSubscriber.connect(group: clients, port: port, path: path, deflate: false,
                                                       expectedFrames: events, recordTimes: false)
        let report = try await reader.completed.get()
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - started) / 1e9
        await reader.close()
        try Self.check(report, first: expected.first, last: expected.last, compressed: false)
        guard report.payloadBytes == bytes else {
            throw ValidationError("received \(report.payloadBytes) payload bytes, expected \(bytes)")
        }
        return seconds
    }

    // MARK: (b) fan-out

    struct FanoutResult {
        var p50: Double
        var p99: Double
        var cores: Double
    }

    func measureFanout(relay: BenchRelay, frames: BenchFrames, clients: MultiThreadedEventLoopGroup) async throws -> FanoutResult {
        let count = pacedEvents
        print("")
        print("(b) fan-out: \(subscribers) live subscribers (uncompressed, full frames), writer appending \(rate) "
            + "events/s for \(duration) (\(count) events, one transaction per 5 ms)")
        let run = try await pacedRun(relay: relay, frames: frames, clients: clients, subscribers: subscribers,
                                     deflate: false, recordTimes: true)
        var latencies: [Int64] = []
        latencies.reserveCapacity(count * subscribers)
        for report in run.reports {
            for (index, received) in report.receiveTimes.enumerated() {
                latencies.append(Int64(received) - Int64(run.appendTimes[index]))
            }
        }
        let summary = LatencySummary(nanoseconds: latencies)
        let cores = run.cpuSeconds / run.wallSeconds
        let clientCores = run.clientCPUSeconds / run.wallSeconds
        print("| fan-out | value |")
        print("|---|---|")
        print(String(format: "| append→receive p50 / p99 / max | %.2f / %.2f / %.2f ms (%d samples) |",
                     summary.p50, summary.p99, summary.max, summary.count))
        print("| p99 target ≤ 50 ms | " + (summary.p99 <= 50 ? "met" : "NOT met") + " |")
        print(String(format: "| process CPU (getrusage user+sys) | %.2f cores (%.1f µs per appended event) |",
                     cores, run.cpuSeconds / Double(count) * 1e6))
        print(String(format: "| of which client event-loop threads | %.2f cores |", clientCores))
        print(String(format: "| delivered | %.0f frames/s, %.1f MB/s over all subscribers; RSS %.0f MiB |",
                     Double(count * subscribers) / run.wallSeconds, run.payloadBytes / 1e6 / run.wallSeconds,
                     ProcessCPU.residentMiB()))
        return FanoutResult(p50: summary.p50, p99: summary.p99, cores: cores)
    }

    // MARK: (c) compression

    /// Compression CPU per appended event with 1 and with `subscribers` deflate subscribers; returns the ratio.
    func measureDeflate(relay: BenchRelay, frames: BenchFrames, clients: MultiThreadedEventLoopGroup) async throws -> Double {
        print("")
        print("(c) shared permessage-deflate: the same paced run with 1 and with \(subscribers) subscribers that "
            + "negotiate permessage-deflate.")
        print("    compression CPU = thread CPU time (CLOCK_THREAD_CPUTIME_ID) spent inside the frame cache producing")
        print("    the deflated variant, divided by the events appended; process CPU per event (getrusage, nothing")
        print("    subtracted) is shown next to it and grows with subscribers because every socket write costs CPU.")
        let variant = FrameVariant(stripped: false, compressed: true)
        let cache = relay.server.subscribers.cache
        print("| deflate subscribers | compression CPU per event | deflated per event | process CPU per event |")
        print("|---|---|---|---|")
        var perEvent: [Double] = []
        for count in [1, subscribers] {
            let nanos = cache.productionCPUNanoseconds(variant)
            let produced = cache.producedCount(variant)
            let run = try await pacedRun(relay: relay, frames: frames, clients: clients, subscribers: count,
                                         deflate: true, recordTimes: false)
            let events = Double(run.appendTimes.count)
            let compression = Double(cache.productionCPUNanoseconds(variant) - nanos) / events / 1000
            let deflated = Double(cache.producedCount(variant) - produced) / events
            perEvent.append(compression)
            print(String(format: "| %d | %.1f µs | %.2f | %.1f µs |", count, compression, deflated,
                         run.cpuSeconds / events * 1e6))
        }
        let ratio = perEvent[1] / max(perEvent[0], 1e-9)
        print(String(format: "| ratio %d vs 1 (target within 10%%) | %.3f | | ", subscribers, ratio)
            + (abs(ratio - 1) <= 0.1 ? "met" : "NOT met") + " |")
        return ratio
    }

    // MARK: paced runs

    struct PacedRun {
        var reports: [BenchSubscriber.Report]
        var appendTimes: [UInt64]
        var cpuSeconds: Double
        var clientCPUSeconds: Double
        var wallSeconds: Double
        var payloadBytes: Double
    }

    /// Connects `subscribers` live readers, appends `pacedEvents` at `rate`, waits until every reader has them.
    func pacedRun(relay: BenchRelay, frames: BenchFrames, clients: MultiThreadedEventLoopGroup, subscribers: Int, deflate: Bool,
                  recordTimes: Bool) async throws -> PacedRun
    {
        let count = pacedEvents
        let head = relay.log.headSeq
        var readers: [BenchSubscriber] = []
        for _ in 0..<subscribers {
            readers.append(try await BenchSubscriber.connect(
                group: clients, port: relay.port, path: BenchRelay.path(cursor: head), deflate: deflate,
                expectedFrames: count, recordTimes: recordTimes))
        }
        guard await relay.waitForSubscribers(subscribers) else {
            throw ValidationError("only \(relay.subscriberCount) of \(subscribers) subscribers registered")
        }
        let cpuBefore = ProcessCPU.seconds()
        let clientBefore = try await Self.clientCPU(clients)
        let started = DispatchTime.now().uptimeNanoseconds
        let appendTimes = try await BenchWriter.paced(relay.log, frames: frames, rate: rate, count: count)
        var reports: [BenchSubscriber.Report] = []
        for reader in readers { reports.append(try await reader.completed.get()) }
        let wall = Double(DispatchTime.now().uptimeNanoseconds - started) / 1e9
        let cpu = ProcessCPU.seconds() - cpuBefore
        let clientCPU = try await Self.clientCPU(clients) - clientBefore
        for report in reports {
            try Self.check(report, first: head + 1, last: head + UInt64(count), compressed: deflate)
        }
        for reader in readers { await reader.close() }
        _ = await relay.waitForSubscribers(0)
        return PacedRun(reports: reports, appendTimes: appendTimes, cpuSeconds: cpu, clientCPUSeconds: clientCPU,
                        wallSeconds: wall, payloadBytes: Double(reports.reduce(0) { $0 + $1.payloadBytes }))
    }

    /// CPU seconds used so far by the client event-loop threads.
    static func clientCPU(_ group: MultiThreadedEventLoopGroup) async throws -> Double {
        var total = 0.0
        for loop in group.makeIterator() { total += try await loop.submit { ProcessCPU.threadSeconds() }.get() }
        return total
    }

    /// Checks that a reader got the expected first and last seqs (inflating compressed payloads).
    static func check(_ report: BenchSubscriber.Report, first: UInt64, last: UInt64, compressed: Bool) throws {
        func seq(_ payload: [UInt8]) -> UInt64? {
            let frame = compressed ? (try? FrameCompressor.inflate(payload)) : payload
            return frame.flatMap { (try? FrameDecoder.decode($0))?.seq }.map(UInt64.init)
        }
        guard report.deflateAccepted == compressed, report.lastCompressed == compressed else {
            throw ValidationError("compression negotiated: \(report.deflateAccepted), expected \(compressed)")
        }
        guard seq(report.firstPayload) == first, seq(report.lastPayload) == last else {
            throw ValidationError("seqs \(String(describing: seq(report.firstPayload)))…"
                + "\(String(describing: seq(report.lastPayload))), expected \(first)…\(last)")
        }
    }

    static func list(_ values: [Double]) -> String { values.map { String(format: "%.2f", $0) }.joined(separator: ", ") }
}
