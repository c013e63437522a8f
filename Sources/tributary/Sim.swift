import ArgumentParser
import Foundation
import Logging
import ServiceLifecycle
import Simulator

/// `tributary sim`: a simulated PDS network on loopback (PLC directory + K hosts) with a random workload.
struct Sim: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run a fake atproto network on loopback: a PLC directory and K PDS hosts emitting signed Sync 1.1 commits.",
        discussion: """
            Prints the PLC URL and the hosts, creates the accounts, optionally builds --pregenerate events up front \
            (kept in each host's history and served from cursor 0 as fast as a reader reads), then writes at \
            --rate events per second until SIGINT/SIGTERM. --fault-rate F makes that fraction of commits faulty \
            (bad signatures, broken proofs, oversize blocks, …; see Simulator.Fault). Every option can also be set \
            as TRIBUTARY_<OPTION>.
            """)

    static let environmentOptions: [EnvironmentDefaults.Option] = [
        "hosts", "accounts", "rate", "listen", "plc-listen", "pregenerate", "fault-rate", "seed", "history",
        "p256-fraction", "log-level",
    ].map { EnvironmentDefaults.Option(name: $0, isFlag: false) }

    @Option(help: "Number of PDS hosts.")
    var hosts = Simulator.defaultHostCount

    @Option(help: "Number of accounts (spread round-robin over the hosts).")
    var accounts = 10

    @Option(help: "Events per second across all accounts (0: none after setup).")
    var rate: Double = 10

    @Option(help: "Address and port of the first host; the others take the following ports (port 0: ephemeral).")
    var listen = "127.0.0.1:0"

    @Option(help: "Address and port of the PLC directory (port 0: ephemeral).")
    var plcListen = "127.0.0.1:0"

    @Option(help: "Events to build before serving (for benchmarks); they stay in the hosts' histories.")
    var pregenerate = 0

    @Option(help: "Fraction of commits (0...1) that carry a fault.")
    var faultRate: Double = 0

    @Option(help: "Seed for DIDs, keys, records and workload choices (default: random).")
    var seed: UInt64?

    @Option(help: "Events each host keeps for cursor backfill (raised to fit --pregenerate).")
    var history = 100_000

    @Option(help: "Fraction of accounts with P-256 keys (the rest use secp256k1).")
    var p256Fraction = 0.5

    @Option(help: "Log level: trace, debug, info, notice, warning, error, critical.")
    var logLevel = "warning"

    func validate() throws {
        guard hosts >= 1 else { throw ValidationError("--hosts must be at least 1") }
        guard accounts >= 0, pregenerate >= 0, rate >= 0 else { throw ValidationError("counts must not be negative") }
        guard (0...1).contains(faultRate), (0...1).contains(p256Fraction) else {
            throw ValidationError("--fault-rate and --p256-fraction must be within 0...1")
        }
    }

    func run() async throws {
        var logger = Logger(label: "tributary.sim")
        logger.logLevel = Logger.Level(rawValue: logLevel) ?? .warning
        let (address, port) = try Serve.hostAndPort(listen, option: "--listen")
        let (plcAddress, plcPort) = try Serve.hostAndPort(plcListen, option: "--plc-listen")
        guard plcAddress == address else { throw ValidationError("--listen and --plc-listen must use one address") }
        let needed = pregenerate + accounts * 3 + 1024
        let configuration = NetworkConfiguration(
            hostCount: hosts, address: address,
            hostPorts: NetworkConfiguration.consecutivePorts(from: port, count: hosts), plcPort: plcPort,
            historyLimit: max(history, needed), seed: seed, logger: logger)
        let network = try await SimulatedNetwork.start(configuration)
        say("PLC directory: \(network.plcURL)")
        for host in network.hosts {
            say("host \(host.index): \(host.hostname)  \(host.webSocketURL)/xrpc/com.atproto.sync.subscribeRepos")
        }
        do {
            try await network.populate(accounts: accounts, p256Fraction: p256Fraction)
            say("accounts: \(accounts)")
            if pregenerate > 0 {
                let stats = await network.generate(events: pregenerate, faultRate: faultRate)
                say("pregenerated: \(stats.events) events (\(stats.commits) commits, "
                    + "\(stats.faults.values.reduce(0, +)) faulted)")
            }
            let service = SimWorkloadService(network: network, rate: rate, faultRate: faultRate)
            let group = ServiceGroup(configuration: .init(
                services: [.init(service: service)], gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
            try await group.run()
        } catch {
            await network.shutdown()
            throw error
        }
        await network.shutdown()
        say("stopped")
    }
}

/// Runs the workload until graceful shutdown (or just waits for it when the rate is 0).
struct SimWorkloadService: Service {
    let network: SimulatedNetwork
    let rate: Double
    let faultRate: Double

    func run() async throws {
        let stats = await cancelWhenGracefulShutdown {
            if rate > 0 { return await network.runWorkload(rate: rate, faultRate: faultRate) }
            while !Task.isCancelled { try? await Task.sleep(for: .seconds(3600)) }
            return WorkloadStats()
        }
        say("emitted: \(stats.events) events (\(stats.commits) commits, \(stats.faults.values.reduce(0, +)) faulted)")
    }
}

/// Prints a line and flushes, so scripts reading the output through a pipe see the URLs at once.
func say(_ line: String) {
    FileHandle.standardOutput.write(Data((line + "\n").utf8))
}
