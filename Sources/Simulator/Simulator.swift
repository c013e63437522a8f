/// Namespace of the PDS network simulator used by `sim`, `demo`, tests and benchmarks.
///
/// Entry point: `SimulatedNetwork.start(_:)` starts a `PLCDirectory` and `NetworkConfiguration.hostCount`
/// `SimulatedHost`s on 127.0.0.1 (ephemeral ports by default). Accounts (`createAccount`, `populate`), writes
/// (`write`, with an optional `Fault`), lifecycle events (`emitIdentity`, `setStatus`, `emitSync`, `migrate`,
/// `rotateKey`, `changeHandle`, `deleteAccount`) and the random workload (`generate`, `runWorkload`) all run on the
/// network actor; host-level operations (`resetSequence`, `emitRaw`) live on `SimulatedHost`. A relay under test
/// resolves DIDs with `plcURL` (loopback allowed) and verifies handles with `PLCDirectory.handleBaseURL(for:)`.
///
/// Known limit: each account's `RepoWriter` keeps every block it ever wrote (all MST node versions), so memory
/// grows with the number of commits; long high-rate runs should use fewer events or restart.
public enum Simulator {
    /// Default number of simulated hosts.
    public static let defaultHostCount = 3
}
