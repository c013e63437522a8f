public import ATCrypto

/// What the relay needs to know about an account, as read from its DID document.
public struct Identity: Sendable, Hashable {
    /// The account DID (equal to the document's `id`).
    public let did: String
    /// Handle claimed in `alsoKnownAs` (lowercased); NOT verified — see `HandleResolver.verify`.
    public let handle: String?
    /// The `#atproto` signing key; nil if absent or unusable.
    public let signingKey: PublicKey?
    /// Origin (`scheme://host[:port]`) of the `#atproto_pds` service; nil if absent or malformed.
    public let pdsEndpoint: String?

    /// Creates an identity from already-checked parts.
    public init(did: String, handle: String?, signingKey: PublicKey?, pdsEndpoint: String?) {
        self.did = did
        self.handle = handle
        self.signingKey = signingKey
        self.pdsEndpoint = pdsEndpoint
    }

    /// Without a signing key or a PDS the relay cannot verify or attribute commits for this account.
    public var isFunctional: Bool { signingKey != nil && pdsEndpoint != nil }

    /// Host (and port, if any) of the PDS endpoint, for comparison with the upstream connection's host.
    public var pdsHost: String? {
        guard let endpoint = pdsEndpoint, let range = endpoint.range(of: "://") else { return nil }
        return String(endpoint[range.upperBound...])
    }
}
