import EventLog
import Foundation
import Relay
import RelayHTTP
import Synchronization

/// The demo's live view: rates in and out, hosts, accounts, drops by reason, head seq and epoch, consumers.
final class DemoView: Sendable {
    private let relay: EmbeddedRelay
    private let interactive: Bool
    private let last = Mutex<(time: ContinuousClock.Instant, stats: RelayStatistics.Snapshot)?>(nil)
    private let final = Mutex<String>("")

    init(relay: EmbeddedRelay, interactive: Bool) {
        self.relay = relay
        self.interactive = interactive
    }

    /// Redraws every `interval` seconds until Ctrl-C (SIGINT/SIGTERM) or `duration` seconds.
    func run(every interval: Double, for duration: Double?) async {
        SignalWatch.install()
        let startStats = relay.relay.statistics.snapshot
        last.withLock { $0 = (.now, startStats) }
        let clock = ContinuousClock()
        let end = duration.map { clock.now + .milliseconds(Int64($0 * 1000)) }
        while !SignalWatch.fired, !Task.isCancelled {
            if let end, clock.now >= end { break }
            try? await Task.sleep(for: .milliseconds(Int64(interval * 1000)))
            await draw()
        }
        SignalWatch.restore()
    }

    func printSummary() {
        Console.write(final.withLock { $0 })
    }

    private func draw() async {
        let now = ContinuousClock.now
        let stats = relay.relay.statistics.snapshot
        let previous = last.withLock { value in
            defer { value = (now, stats) }
            return value
        }
        var inRate = 0.0
        var outRate = 0.0
        if let previous {
            let seconds = Self.seconds(previous.time.duration(to: now))
            if seconds > 0 {
                inRate = Double(stats.received - previous.stats.received) / seconds
                outRate = Double(stats.emitted - previous.stats.emitted) / seconds
            }
        }
        let hosts = (try? await relay.relay.listHosts()) ?? []
        let accounts = (try? relay.log.read { try $0.accountCount() }) ?? 0
        let subscribers = relay.server.subscribers.registry.count
        var lines: [String] = []
        lines.append("Tributary demo — \(relay.firehoseURL)")
        lines.append(String(format: "events/s   in %8.1f   out %8.1f", inRate, outRate))
        lines.append("totals     read \(stats.received)   emitted \(stats.emitted) (commits \(stats.emittedCommits))   "
                     + "dropped \(stats.droppedTotal)   ignored \(stats.ignored.values.reduce(0, +))")
        lines.append("log        head seq \(relay.log.headSeq)   epoch \(relay.log.epoch)   events \(relay.log.eventCount)")
        lines.append("hosts      \(hosts.count) (\(hosts.filter(\.connected).count) connected)   accounts \(accounts)"
                     + "   consumers \(subscribers)")
        for host in hosts {
            lines.append("  \(host.hostname.padding(toLength: 22, withPad: " ", startingAt: 0)) \(host.status)"
                         + "  cursor \(host.cursor)  events \(host.eventCount)")
        }
        if stats.dropped.isEmpty {
            lines.append("drops      none")
        } else {
            lines.append("drops by reason:")
            for (reason, count) in stats.dropped.sorted(by: { $0.value > $1.value }) {
                lines.append("  \(reason.padding(toLength: 24, withPad: " ", startingAt: 0)) \(count)")
            }
        }
        let text = lines.joined(separator: "\n")
        final.withLock { $0 = text }
        Console.write(interactive ? "\u{1B}[H\u{1B}[2J" + text : text + "\n")
    }

    private static func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }
}

/// Notices SIGINT/SIGTERM (the demo stops cleanly instead of being killed mid-write).
enum SignalWatch {
    private static let flag = Atomic<Bool>(false)

    /// Installs the handlers.
    static func install() {
        flag.store(false, ordering: .relaxed)
        signal(SIGINT) { _ in SignalWatch.flag.store(true, ordering: .relaxed) }
        signal(SIGTERM) { _ in SignalWatch.flag.store(true, ordering: .relaxed) }
    }

    /// Whether a signal arrived.
    static var fired: Bool { flag.load(ordering: .relaxed) }

    /// Puts the default handlers back.
    static func restore() {
        signal(SIGINT, SIG_DFL)
        signal(SIGTERM, SIG_DFL)
    }
}

/// Writes to standard output unbuffered (the view must appear even when stdout is a pipe).
enum Console {
    static func write(_ text: String) {
        FileHandle.standardOutput.write(Data((text + "\n").utf8))
    }
}
