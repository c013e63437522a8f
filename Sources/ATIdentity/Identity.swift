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
    /// Host (and port, if any) of the PDS endpoint — what follows `://` — for comparison with the upstream
    /// connection's host. Worked out once here: the relay compares it for every event of the account.
    public let pdsHost: String?

    /// Creates an identity from already-checked parts.
    public init(did: String, handle: String?, signingKey: PublicKey?, pdsEndpoint: String?) {
        self.did = did
        self.handle = handle
        self.signingKey = signingKey
        self.pdsEndpoint = pdsEndpoint
        self.pdsHost = pdsEndpoint.flatMap(Self.authority(of:))
    }

    /// Without a signing key or a PDS the relay cannot verify or attribute commits for this account.
    public var isFunctional: Bool { signingKey != nil && pdsEndpoint != nil }

    /// What follows the first `://` in `endpoint`, nil if there is none.
    static func authority(of endpoint: String) -> String? {
        let bytes = endpoint.utf8
        var index = bytes.startIndex
        while index != bytes.endIndex {
            let next = bytes.index(after: index)
            if bytes[index] == UInt8(ascii: ":"), bytes[next...].starts(with: "//".utf8) {
                return String(endpoint[bytes.index(next, offsetBy: 2)...])
            }
            index = next
        }
        return nil
    }
}
