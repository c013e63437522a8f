/// Namespace of the repository layer: commits, MST, Sync 1.1 verification (filled in by the repository issue).
public enum ATRepo {
    /// Repository format version this layer reads and writes.
    public static let repoVersion = 3
}
