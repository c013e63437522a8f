/// Why a simulator operation was refused.
public enum SimulatorError: Error, Equatable, Sendable {
    /// No account with this DID exists in the network.
    case unknownAccount(String)
    /// The host is not part of this network.
    case unknownHost(String)
    /// A write could not be applied to the repository (path exists on create, missing on update/delete, bad path).
    case invalidWrite(String)
    /// The fault cannot be produced for this call (e.g. `wrongHostAuthority` with a single host).
    case faultNotApplicable(Fault, String)
    /// A server could not start (port in use, bind failure).
    case serverFailed(String)
    /// The network was shut down.
    case shutDown
}
