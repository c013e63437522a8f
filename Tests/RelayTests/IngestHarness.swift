import ATIdentity
import EventLog
import Firehose
import Logging
import Relay
import Simulator

/// A relay ingesting from a simulated PDS network on loopback, writing a real event log in a temporary folder.
final class IngestHarness: Sendable {
    let network: SimulatedNetwork
    let scratch: ScratchDirectory
    let log: EventLog
    let relay: Relay
    let resolver: IdentityResolver
    let task: Task<Void, any Error>

    private init(network: SimulatedNetwork, scratch: ScratchDirectory, log: EventLog, relay: Relay,
                 resolver: IdentityResolver, task: Task<Void, any Error>)
    {
        self.network = network
        self.scratch = scratch
        self.log = log
        self.relay = relay
        self.resolver = resolver
        self.task = task
    }

    /// Starts `hosts` simulated PDSes and a relay crawling them (unless `crawl` is false).
    static func start(
        hosts: Int = 1, crawl: Bool = true, label: String = #function,
        configure: (inout RelayConfiguration) -> Void = { _ in }
    ) async throws -> IngestHarness {
        var logger = Logger(label: "relay-test")
        logger.logLevel = .warning
        let network = try await SimulatedNetwork.start(NetworkConfiguration(hostCount: hosts, seed: 42, logger: logger))
        let scratch = try ScratchDirectory(label)
        let log = try openLog(scratch)
        let plc = network.plc
        let resolver = IdentityResolver(configuration: ResolverConfiguration(
            plcURL: network.plcURL, allowPrivateHosts: true,
            handleBaseURL: { handle in
                // Handles under nowhere.test point at a closed port: they can never verify.
                handle.hasSuffix(".nowhere.test") ? "http://127.0.0.1:1" : plc.handleBaseURL(for: handle)
            }))
        let directory = IdentityDirectory(
            resolver: resolver, configuration: DirectoryConfiguration(errorTTL: .milliseconds(100),
                                                                      minimumRefreshInterval: .zero))
        var configuration = RelayConfiguration()
        configuration.plcURL = network.plcURL
        configuration.allowPrivateHosts = true
        configuration.crawl = crawl ? network.hosts.map(\.hostname) : []
        configuration.backoff = BackoffPolicy(initial: .milliseconds(50), maximum: .milliseconds(400))
        configuration.baseEventsPerSecond = 100_000
        configuration.defaultAccountLimit = 10_000
        configure(&configuration)
        let relay = Relay(
            configuration: configuration, log: log, directory: directory,
            verifyHandle: { identity in await resolver.verifiedHandle(of: identity) }, logger: logger)
        let task = Task { try await relay.run() }
        let harness = IngestHarness(
            network: network, scratch: scratch, log: log, relay: relay, resolver: resolver, task: task)
        if crawl {
            for host in network.hosts {
                guard try await eventually({ host.sequencer.subscriberCount > 0 }) else {
                    throw TestFailure("relay did not connect to \(host.hostname)")
                }
            }
        }
        return harness
    }

    /// Runs `body` with a started harness and always stops it afterwards.
    static func with(
        hosts: Int = 1, crawl: Bool = true, label: String = #function,
        configure: (inout RelayConfiguration) -> Void = { _ in },
        _ body: (IngestHarness) async throws -> Void
    ) async throws {
        let harness = try await start(hosts: hosts, crawl: crawl, label: label, configure: configure)
        do {
            try await body(harness)
        } catch {
            await harness.stop()
            throw error
        }
        await harness.stop()
    }

    /// Stops the relay, then the network, and closes the log.
    func stop() async {
        task.cancel()
        _ = try? await task.value
        log.close()
        await network.shutdown()
        try? await resolver.shutdown()
    }

    /// The decoded frames the relay emitted for `did`, in log order, with their relay seqs.
    func emitted(_ did: String) throws -> [(seq: UInt64, frame: FirehoseFrame)] {
        try log.read { txn in
            try txn.events(after: 0, limit: 100_000).compactMap { event -> (UInt64, FirehoseFrame)? in
                guard event.did == did else { return nil }
                return (event.seq, try FrameDecoder.decode(event.frame))
            }
        }
    }

    /// Waits until the relay emitted `count` events for `did`; returns them.
    @discardableResult
    func waitForEmitted(_ did: String, count: Int, seconds: Double = 30) async throws -> [FirehoseFrame] {
        guard try await eventually(seconds: seconds, { try emitted(did).count >= count }) else {
            throw TestFailure("\(did): \(try emitted(did).count) events emitted, expected \(count)")
        }
        return try emitted(did).map(\.frame)
    }

    /// Drops counted for `reason` over all hosts.
    func drops(_ reason: String) async throws -> UInt64 {
        try await relay.listHosts().reduce(0) { $0 + ($1.droppedByReason[reason] ?? 0) }
    }

    /// Waits until `reason` was counted `count` times.
    func waitForDrop(_ reason: String, count: UInt64 = 1, seconds: Double = 30) async throws {
        let clock = ContinuousClock()
        let deadline = clock.now + .seconds(seconds)
        while clock.now < deadline {
            if try await drops(reason) >= count { return }
            try await Task.sleep(for: .milliseconds(10))
        }
        let all = try await relay.listHosts().map(\.droppedByReason)
        throw TestFailure("no drop \(reason) after \(seconds) s; drops: \(all)")
    }

    /// Creates an account and waits for its `#identity`, `#account` and first `#commit` to come through.
    func account(on host: SimulatedHost? = nil) async throws -> SimulatedAccount {
        let account = try await network.createAccount(on: host)
        try await waitForEmitted(account.did, count: 3)
        return account
    }

    /// Writes a post and waits for its commit to be emitted; returns the rev.
    @discardableResult
    func post(_ did: String) async throws -> String {
        let before = try emitted(did).count
        let outcome = try await network.write(did, [.post])
        let frames = try await waitForEmitted(did, count: before + 1)
        guard case .commit(let commit) = frames.last, commit.rev == outcome.rev else {
            throw TestFailure("expected the commit of rev \(outcome.rev), got \(String(describing: frames.last))")
        }
        return outcome.rev
    }
}

extension FirehoseFrame {
    /// The commit message, if this is one.
    var commitMessage: CommitMessage? {
        if case .commit(let message) = self { return message }
        return nil
    }

    /// The account message, if this is one.
    var accountMessage: AccountMessage? {
        if case .account(let message) = self { return message }
        return nil
    }

    /// The identity message, if this is one.
    var identityMessage: IdentityMessage? {
        if case .identity(let message) = self { return message }
        return nil
    }
}
