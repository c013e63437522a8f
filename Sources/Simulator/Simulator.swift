/// Namespace of the PDS network simulator used by `sim`, `demo`, tests and benchmarks.
public enum Simulator {
    /// Default number of simulated hosts.
    public static let defaultHostCount = 3
}
