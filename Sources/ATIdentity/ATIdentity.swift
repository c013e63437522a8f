/// Namespace of the identity layer: DID resolution and DID documents.
public enum ATIdentity {
    /// Default PLC directory.
    public static let defaultPLCURL = "https://plc.directory"
}
