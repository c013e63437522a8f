/// Something that turns a DID into an `Identity` (the network resolver, or a stand-in).
public protocol DIDResolving: Sendable {
    /// Resolves `did` afresh (no caching).
    func resolve(_ did: String) async throws(IdentityError) -> Identity
}
