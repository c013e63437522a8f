import EventLog
import Foundation
import Simulator
import Testing

/// The ingest acceptance point: `kill -9` of the relay process mid-ingest, then a restart on the same data
/// directory, and the relay's output equals the upstream input exactly once.
///
/// Each run starts a simulated network (2 hosts, a seed) with a backlog, runs `tributary serve` as a child
/// process crawling both hosts, SIGKILLs it 2–3 times at random points while it works through the backlog (with
/// live events arriving while it runs and more while it is down), restarts it each time, lets the last one catch
/// up completely and stops it with SIGTERM. The log is then read back and compared, per account, with what both
/// hosts emitted.
@Suite("Crash recovery", .serialized)
struct CrashRecoveryTests {
    /// Consecutive runs (`CRASH_RUNS` overrides, e.g. for a longer soak).
    static let runs = Int(ProcessInfo.processInfo.environment["CRASH_RUNS"] ?? "") ?? 10
    static let accounts = 40
    /// Events generated before the first start (on top of the 3 per account creation).
    static let backlog = 2_000
    /// Events generated while the relay is down, between a kill and the restart.
    static let eventsWhileDown = 150
    /// Live events per second while a relay that is going to be killed runs.
    static let liveRate = 100.0
    static let timeout = Duration.seconds(60)
    /// `tributary serve` has no way to send handle lookups to the simulator, so it would try
    /// `https://<handle>/.well-known/atproto-did`; under `--allow-private-hosts` (no DNS vetting) an unresolvable
    /// name then costs the whole 10 s request timeout per `#identity`. Handles under a reserved TLD are refused
    /// before any lookup (the relay emits `#identity` without a handle; handles are not compared here).
    static let handleDomain = "sim.invalid"

    @Test("kill -9 mid-ingest, restart: every upstream event is emitted exactly once", .timeLimit(.minutes(10)))
    func killedRelayEmitsEveryUpstreamEventOnce() async throws {
        let executable = try #require(RelayChildProcess.executable(), "the tributary executable is not next to the tests")
        var random = SystemRandomNumberGenerator()
        for run in 1...Self.runs {
            let seed = UInt64.random(in: 1...UInt64.max, using: &random)
            let started = ContinuousClock.now
            let network = try await SimulatedNetwork.start(
                NetworkConfiguration(hostCount: 2, historyLimit: 1_000_000, seed: seed, handleDomain: Self.handleDomain))
            var checks = RunChecks(label: "run \(run) (seed \(seed))")
            do {
                try await Self.scenario(network: network, executable: executable, checks: &checks)
            } catch {
                await network.shutdown()
                throw error
            }
            await network.shutdown()
            print("crash recovery \(checks.label): \(checks.summary), \(ContinuousClock.now - started)")
            // One failing run says enough; the next ones would only repeat it (or wait out their timeouts).
            if checks.failures > 0 { break }
        }
    }

    static func scenario(network: SimulatedNetwork, executable: URL, checks: inout RunChecks) async throws {
        try await network.populate(accounts: accounts)
        await network.generate(events: backlog)
        let scratch = try ScratchDirectory("crash")
        let options = RelayChildProcess.Options(
            executable: executable, dataDirectory: scratch.path + "/data", crawl: network.hosts.map(\.hostname),
            plcURL: network.plcURL, outputPath: scratch.path + "/relay.out")
        let output = { "relay output: \(tail(of: options.outputPath))" }

        var committedBeforeKill: UInt64 = 0
        for kill in 1...Int.random(in: 2...3) {
            let expected = try ExpectedOutput(hosts: network.hosts)
            let child = try await RelayChildProcess.start(options)
            let live = Task { await network.runWorkload(rate: liveRate) }
            let atStart = await child.committedEvents() ?? 0
            // What was committed before the previous kill is still there.
            checks.check(atStart >= committedBeforeKill, "start \(kill): \(atStart) events, had \(committedBeforeKill)")
            let backlogLeft = UInt64(expected.count) - min(atStart, UInt64(expected.count))
            let target = atStart + UInt64.random(in: 1...max(1, backlogLeft / 2))
            var seen = atStart
            let deadline = ContinuousClock.now + timeout
            while seen < target, ContinuousClock.now < deadline, child.process.isRunning {
                seen = await child.committedEvents() ?? seen
                if seen < target { try await Task.sleep(for: .milliseconds(2)) }
            }
            let diedOfSignal = child.kill()
            live.cancel()
            _ = await live.value
            checks.check(diedOfSignal, "kill \(kill): the relay was not running until SIGKILL; \(output())")
            try #require(seen >= target, "\(checks.label), kill \(kill): stuck at \(seen) of \(target) events; \(output())")
            // The kill came while this start's backlog was still being ingested.
            checks.check(seen < UInt64(expected.count), "kill \(kill) at \(seen) events, after the backlog \(expected.count)")
            checks.kills.append(seen)
            committedBeforeKill = seen
            await network.generate(events: eventsWhileDown)
        }

        // The last start: no more upstream events; it must catch up completely. Every host's committed cursor at
        // its head means every upstream event is handled (written or dropped, in the same transactions).
        let expected = try ExpectedOutput(hosts: network.hosts)
        let heads = Dictionary(uniqueKeysWithValues: network.hosts.map { ($0.hostname, UInt64($0.headSeq)) })
        let child = try await RelayChildProcess.start(options)
        var cursors: [String: UInt64]?
        let deadline = ContinuousClock.now + timeout
        while cursors != heads, ContinuousClock.now < deadline, child.process.isRunning {
            try await Task.sleep(for: .milliseconds(20))
            cursors = await child.hostCursors()
        }
        let status = try await child.terminate(within: .seconds(30))
        checks.check(cursors == heads, "the relay did not catch up: cursors \(cursors ?? [:]), heads \(heads); \(output())")
        checks.check(status == 0, "SIGTERM exit status \(status.map(String.init) ?? "none (hung)"); \(output())")
        checks.expected = expected.count
        try verify(directory: options.dataDirectory, expected: expected, heads: heads, checks: &checks)
    }

    /// Reads the log back and compares it with the upstream histories.
    static func verify(directory: String, expected: ExpectedOutput, heads: [String: UInt64], checks: inout RunChecks)
        throws
    {
        checks.check(expected.unusable == 0 && expected.notNewerCommits == 0, "the workload emitted faults")
        checks.check(expected.perDID.count == accounts, "\(expected.perDID.count) accounts upstream")
        var configuration = EventLog.Configuration(directory: directory)
        configuration.retention = RetentionPolicy(maxAge: nil)
        let log = try EventLog(configuration)
        defer { log.close() }
        let output = RelayOutput(events: try log.read { try $0.events(after: 0, limit: .max) })
        checks.check(output.problems.isEmpty, "the log: \(output.problems.prefix(10))")
        let differences = output.differences(from: expected)
        checks.check(differences.isEmpty, "output differs from upstream:\n\(differences.joined(separator: "\n"))")
        checks.check(output.count == expected.count, "\(output.count) events for \(expected.count) expected")
        for (hostname, head) in heads {
            let cursor = try log.read { try $0.host(hostname) }?.cursor
            checks.check(cursor == head, "host \(hostname): stored cursor \(cursor.map(String.init) ?? "none"), head \(head)")
        }
    }

    /// The last lines the child processes wrote.
    static func tail(of path: String) -> String {
        guard let data = FileManager.default.contents(atPath: path) else { return "(none)" }
        let lines = String(decoding: data, as: UTF8.self).split(separator: "\n").suffix(20)
        return lines.isEmpty ? "(empty)" : "\n" + lines.joined(separator: "\n")
    }
}

/// The checks of one run: each failure is recorded as a test issue (with the run's seed) and counted.
struct RunChecks {
    let label: String
    var failures = 0
    /// Events committed when each kill was sent (as last seen over `_health`).
    var kills: [UInt64] = []
    /// Events the relay had to emit in the end.
    var expected = 0

    init(label: String) { self.label = label }

    var summary: String { "killed at \(kills.map(String.init).joined(separator: ", ")) of \(expected) events" }

    mutating func check(_ condition: Bool, _ message: @autoclosure () -> String,
                        sourceLocation: SourceLocation = #_sourceLocation)
    {
        guard !condition else { return }
        failures += 1
        Issue.record(Comment(rawValue: "\(label): \(message())"), sourceLocation: sourceLocation)
    }
}
