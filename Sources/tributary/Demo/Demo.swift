import ArgumentParser
import Foundation
import Logging
import Relay
import RelayHTTP
import Simulator

/// `tributary demo`: a relay and a simulated PDS network on loopback, with a live view of what flows.
struct Demo: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run a relay against a simulated PDS network on loopback and show what flows (Ctrl-C to stop).",
        discussion: """
            Starts a PLC directory and --hosts simulated PDSes with --accounts accounts writing --rate events per \
            second (a --fault-rate share of them deliberately broken), a relay crawling them with its log in a \
            temporary folder, and the firehose on --listen. Subscribe to the printed URL with any WebSocket client \
            or `tributary tail`.
            """)

    @Option(help: "Simulated PDS hosts.")
    var hosts = 3

    @Option(help: "Accounts spread over the hosts.")
    var accounts = 60

    @Option(help: "Writes per second across all accounts.")
    var rate = 200.0

    @Option(help: "Share of commits carrying a deliberate fault (bad signature, broken proof, …).")
    var faultRate = 0.02

    @Option(help: "Address and port of the relay's firehose.")
    var listen = "127.0.0.1:2470"

    @Option(help: "Stop after this many seconds (default: run until Ctrl-C).")
    var duration: Double?

    @Option(help: "Seconds between view updates.")
    var interval = 1.0

    @Option(help: "Log level of the relay and simulator (logs go to stderr).")
    var logLevel = "error"

    func validate() throws {
        guard hosts >= 1, accounts >= 1, rate > 0, (0...1).contains(faultRate), interval > 0 else {
            throw ValidationError("--hosts, --accounts, --rate and --interval must be positive, --fault-rate 0…1")
        }
    }

    func run() async throws {
        var logger = Logger(label: "tributary.demo")
        logger.logLevel = Logger.Level(rawValue: logLevel) ?? .error
        let (host, port) = try Serve.hostAndPort(listen, option: "--listen")
        let network = try await SimulatedNetwork.start(NetworkConfiguration(hostCount: hosts, logger: logger))
        let relay: EmbeddedRelay
        let plc = network.plc
        do {
            relay = try await EmbeddedRelay.start(
                crawl: network.hosts.map(\.hostname), plcURL: network.plcURL,
                handleBaseURL: { plc.handleBaseURL(for: $0) }, host: host, port: port, logger: logger,
                version: TributaryVersion.string)
        } catch {
            await network.shutdown()
            throw error
        }
        Console.write("firehose: \(relay.firehoseURL)")
        Console.write("try:      tributary tail ws://127.0.0.1:\(relay.port) --count 10")
        Console.write("PLC:      \(network.plcURL)   hosts: \(network.hosts.map(\.hostname).joined(separator: " "))")
        _ = try await network.populate(accounts: accounts)
        let workload = Task { await network.runWorkload(rate: rate, faultRate: faultRate) }
        let view = DemoView(relay: relay, interactive: isatty(STDOUT_FILENO) == 1)
        await view.run(every: interval, for: duration)
        workload.cancel()
        _ = await workload.value
        await relay.stop()
        await network.shutdown()
        view.printSummary()
    }
}
