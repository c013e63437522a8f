public import ATCrypto

/// What the relay needs to know about an account, as read from its DID document.
///
/// The fields live in one shared immutable box: an identity is copied out of the directory's cache for every
/// relay event, and a copy should cost one reference count, not one per field.
public struct Identity: Sendable, Hashable {
    private final class Storage: Sendable {
        let did: String
        let handle: String?
        let signingKey: PublicKey?
        let pdsEndpoint: String?
        let pdsHost: String?

        init(did: String, handle: String?, signingKey: PublicKey?, pdsEndpoint: String?, pdsHost: String?) {
            self.did = did
            self.handle = handle
            self.signingKey = signingKey
            self.pdsEndpoint = pdsEndpoint
            self.pdsHost = pdsHost
        }
    }

    private let storage: Storage

    /// The account DID (equal to the document's `id`).
    public var did: String { storage.did }
    /// Handle claimed in `alsoKnownAs` (lowercased); NOT verified — see `HandleResolver.verify`.
    public var handle: String? { storage.handle }
    /// The `#atproto` signing key; nil if absent or unusable.
    public var signingKey: PublicKey? { storage.signingKey }
    /// Origin (`scheme://host[:port]`) of the `#atproto_pds` service; nil if absent or malformed.
    public var pdsEndpoint: String? { storage.pdsEndpoint }
    /// Host (and port, if any) of the PDS endpoint — what follows `://` — for comparison with the upstream
    /// connection's host. Worked out once here: the relay compares it for every event of the account.
    public var pdsHost: String? { storage.pdsHost }

    /// Creates an identity from already-checked parts.
    public init(did: String, handle: String?, signingKey: PublicKey?, pdsEndpoint: String?) {
        storage = Storage(did: did, handle: handle, signingKey: signingKey, pdsEndpoint: pdsEndpoint,
                          pdsHost: pdsEndpoint.flatMap(Self.authority(of:)))
    }

    /// Equal when every field is (the same box, the usual case, without comparing them).
    public static func == (lhs: Identity, rhs: Identity) -> Bool {
        lhs.storage === rhs.storage
            || (lhs.did == rhs.did && lhs.handle == rhs.handle && lhs.signingKey == rhs.signingKey
                && lhs.pdsEndpoint == rhs.pdsEndpoint)
    }

    /// Hashes the fields `==` compares.
    public func hash(into hasher: inout Hasher) {
        hasher.combine(did)
        hasher.combine(handle)
        hasher.combine(signingKey)
        hasher.combine(pdsEndpoint)
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
