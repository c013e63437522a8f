import Logging

/// How a `SimulatedNetwork` is laid out.
public struct NetworkConfiguration: Sendable {
    /// Number of PDS hosts (at least 1).
    public var hostCount: Int
    /// Listen address of every server.
    public var address: String
    /// Port of host i (`hostPorts[i]`); a missing entry or 0 means ephemeral.
    public var hostPorts: [Int]
    /// Port of the PLC directory (0 = ephemeral).
    public var plcPort: Int
    /// Events each host keeps for cursor backfill (it trims in chunks, so up to 1/8 more may be retained).
    public var historyLimit: Int
    /// Fixes DIDs, keys, handles, record contents and the workload's choices; nil = random.
    public var seed: UInt64?
    /// Handles are `<name>.<handleDomain>`.
    public var handleDomain: String
    /// Logger of the servers.
    public var logger: Logger

    /// Creates a configuration; the defaults suit tests (ephemeral ports, 3 hosts).
    public init(hostCount: Int = Simulator.defaultHostCount, address: String = "127.0.0.1", hostPorts: [Int] = [],
                plcPort: Int = 0, historyLimit: Int = 100_000, seed: UInt64? = nil, handleDomain: String = "sim.test",
                logger: Logger? = nil)
    {
        self.hostCount = max(1, hostCount)
        self.address = address
        self.hostPorts = hostPorts
        self.plcPort = plcPort
        self.historyLimit = historyLimit
        self.seed = seed
        self.handleDomain = handleDomain
        self.logger = logger ?? {
            var logger = Logger(label: "tributary.sim")
            logger.logLevel = .warning
            return logger
        }()
    }

    /// Ports for `count` hosts starting at `first` (consecutive), or all ephemeral when `first` is 0.
    public static func consecutivePorts(from first: Int, count: Int) -> [Int] {
        (0..<max(1, count)).map { first == 0 ? 0 : first + $0 }
    }
}
