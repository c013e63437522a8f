import ATCrypto
import ATData
import ATRepo
import Firehose
import Logging

/// A fake atproto network on loopback: a PLC directory and K PDS hosts with accounts, real MSTs and real signed
/// Sync 1.1 commits, plus fault injection. Start it with `start(_:)`, end it with `shutdown()` (which stops every
/// server and subscription, so no task outlives it).
///
/// Every operation runs on this actor, in call order, so a test that drives it sees a deterministic event order per
/// host; with `NetworkConfiguration.seed` the DIDs, keys, handles, records and workload choices repeat too (revs,
/// record keys and `time` fields come from the wall clock).
public actor SimulatedNetwork {
    /// The layout it was started with.
    public nonisolated let configuration: NetworkConfiguration
    /// The PLC directory.
    public nonisolated let plc: PLCDirectory
    /// The hosts, in index order.
    public nonisolated let hosts: [SimulatedHost]
    let dataSlot: HostDataSourceSlot

    var accounts: [String: AccountState] = [:]
    /// DIDs in creation order (listRepos order, workload picks).
    var accountOrder: [String] = []
    /// Per host: accounts that left it (migration) and the status the host reports for them.
    var departed: [Int: [String: String]] = [:]
    var random: SeededGenerator
    var workloadRandom: SeededGenerator
    let revClock: TIDClock
    let rkeyClock: TIDClock
    var isShutDown = false

    private init(configuration: NetworkConfiguration, plc: PLCDirectory, hosts: [SimulatedHost],
                 dataSlot: HostDataSourceSlot)
    {
        self.configuration = configuration
        self.plc = plc
        self.hosts = hosts
        self.dataSlot = dataSlot
        var seeds = configuration.seed.map(SeededGenerator.init(seed:)) ?? .system()
        random = SeededGenerator(seed: seeds.next())
        workloadRandom = SeededGenerator(seed: seeds.next())
        revClock = TIDClock(clockID: UInt16(truncatingIfNeeded: seeds.next()) & TID.maxClockID)
        rkeyClock = TIDClock(clockID: UInt16(truncatingIfNeeded: seeds.next()) & TID.maxClockID)
    }

    /// Starts the PLC directory and the hosts; returns once all of them listen.
    public static func start(_ configuration: NetworkConfiguration = NetworkConfiguration()) async throws
        -> SimulatedNetwork
    {
        let plc = try await PLCDirectory.start(address: configuration.address, port: configuration.plcPort,
                                               logger: configuration.logger)
        let slot = HostDataSourceSlot()
        var hosts: [SimulatedHost] = []
        do {
            for index in 0..<configuration.hostCount {
                let port = index < configuration.hostPorts.count ? configuration.hostPorts[index] : 0
                hosts.append(try await SimulatedHost.start(
                    index: index, address: configuration.address, port: port,
                    historyLimit: configuration.historyLimit, data: slot, logger: configuration.logger))
            }
        } catch {
            for host in hosts { await host.stop() }
            await plc.shutdown()
            throw error
        }
        let network = SimulatedNetwork(configuration: configuration, plc: plc, hosts: hosts, dataSlot: slot)
        slot.source = network
        return network
    }

    /// The PLC directory's URL (`ResolverConfiguration.plcURL`).
    public nonisolated var plcURL: String { plc.url }

    /// Stops every host and the directory; open subscriptions end first.
    public func shutdown() async {
        guard !isShutDown else { return }
        isShutDown = true
        dataSlot.source = nil
        for host in hosts { await host.stop() }
        await plc.shutdown()
    }

    /// The host named `127.0.0.1:<port>`.
    public nonisolated func host(named hostname: String) -> SimulatedHost? {
        hosts.first { $0.hostname == hostname }
    }

    /// A snapshot of the account, nil if unknown.
    public func account(_ did: String) -> SimulatedAccount? {
        accounts[did].map { $0.snapshot(hostname: hosts[$0.host].hostname) }
    }

    /// Every account, in creation order.
    public func allAccounts() -> [SimulatedAccount] {
        accountOrder.compactMap { account($0) }
    }

    /// The record paths in the account's repository (unordered).
    public func recordPaths(_ did: String) throws(SimulatorError) -> [String] {
        try state(did).paths
    }

    /// A full export of the account's repository (what `getRepo` serves).
    public func exportRepo(_ did: String) throws -> [UInt8] {
        try state(did).repo.exportCAR()
    }

    // MARK: internals shared by the extensions

    func state(_ did: String) throws(SimulatorError) -> AccountState {
        guard !isShutDown else { throw .shutDown }
        guard let account = accounts[did] else { throw .unknownAccount(did) }
        return account
    }

    func hostIndex(of host: SimulatedHost) throws(SimulatorError) -> Int {
        guard host.index < hosts.count, hosts[host.index] === host else { throw .unknownHost(host.hostname) }
        return host.index
    }

    /// Appends a frame to a host's history (taking the next seq).
    func emit(on host: Int, _ make: (Int64) -> FirehoseFrame) -> EmittedEvent {
        let (seq, bytes) = hosts[host].sequencer.append { seq in FrameEncoder.encode(make(seq)) }
        return EmittedEvent(hostIndex: host, hostname: hosts[host].hostname, seq: seq, bytes: bytes)
    }

    /// Sends live-only bytes on a host.
    func emitLiveOnly(on host: Int, _ bytes: [UInt8]) -> EmittedEvent {
        hosts[host].sequencer.appendLiveOnly(bytes)
        return EmittedEvent(hostIndex: host, hostname: hosts[host].hostname, seq: nil, bytes: bytes)
    }

    /// The current time as an atproto datetime.
    func now() -> String { Datetime.now().string }

    /// A new key from the seeded generator.
    func makeKey(curve: KeyCurve) -> PrivateKey {
        while true {
            if let key = try? PrivateKey(rawBytes: random.bytes(PrivateKey.rawLength), curve: curve) { return key }
        }
    }
}
