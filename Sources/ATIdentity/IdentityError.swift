/// Why an identity lookup, a DID document or a handle resolution failed.
public enum IdentityError: Error, Equatable, Hashable, Sendable {
    /// The string is not a syntactically valid DID.
    case invalidDID(String)
    /// A valid DID of a method other than did:plc / did:web (or a did:web form atproto does not allow).
    case unsupportedMethod(String)
    /// The directory or host has no document for this DID (HTTP 404).
    case notFound
    /// The PLC directory reports the DID as tombstoned (HTTP 410): treat the account as deleted.
    case tombstoned
    /// The server answered with an unexpected HTTP status (redirects are not followed).
    case httpStatus(Int)
    /// The lookup did not complete within the configured timeout.
    case timeout
    /// The response body exceeded the configured size cap.
    case responseTooLarge
    /// The target host is loopback/private/reserved, or the scheme is plain http, and private hosts are not allowed.
    case forbiddenHost(String)
    /// A URL could not be built or parsed.
    case invalidURL(String)
    /// Connecting, TLS or reading failed.
    case transport(String)
    /// The DID document is not valid JSON or lacks required structure.
    case invalidDocument(String)
    /// The document's `id` is not the DID that was asked for.
    case documentIDMismatch(expected: String, found: String)
    /// The handle is not syntactically valid or may not be resolved (reserved TLD).
    case invalidHandle(String)
    /// The handle's `/.well-known/atproto-did` did not contain a valid DID.
    case invalidHandleResponse
}
