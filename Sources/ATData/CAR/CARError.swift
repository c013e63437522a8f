/// Why a CAR file was rejected.
public enum CARError: Error, Equatable, Sendable {
    /// The input ended inside a section.
    case truncated
    /// A section length varint was malformed or non-minimal.
    case badVarint
    /// The header is not `{roots: [links…], version: 1}` in canonical DAG-CBOR.
    case invalidHeader(String)
    /// A block's CID could not be parsed.
    case invalidCID(CIDError)
    /// A block's bytes do not hash to its CID.
    case hashMismatch(CID)
    /// A block's CID uses a hash other than sha2-256, which cannot be checked.
    case unsupportedHash(CID)
    /// Input, header, block or block count over the configured caps.
    case tooLarge(String)
}
