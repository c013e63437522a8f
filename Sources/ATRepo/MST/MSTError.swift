import ATData

/// Why an MST operation or structure check failed.
public enum MSTError: Error, Equatable, Sendable {
    /// A node needed by the operation is not among the available blocks (a partial tree's edge).
    case missingBlock(CID)
    /// A node block violates the MST rules; the string names the rule.
    case invalidNode(CID?, String)
    /// A key that is not a valid repo path.
    case invalidKey(String)
    /// Insert of a key that already exists.
    case keyExists(String)
    /// Delete or update of a key that does not exist.
    case keyNotFound(String)
}
