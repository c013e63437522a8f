/// Resolves DIDs (did:plc through the PLC directory, did:web through `/.well-known/did.json`) and handles (HTTPS
/// `/.well-known/atproto-did`) over real HTTP, with the policy in `ResolverConfiguration`.
///
/// Handle resolution is HTTPS-only: the DNS TXT method (`_atproto.<handle>`) needs a DNS client library, and
/// none is available to this package; handles published only in DNS therefore do not verify.
public final class IdentityResolver: DIDResolving {
    /// The policy this resolver applies.
    public let configuration: ResolverConfiguration
    private let fetcher: HTTPFetcher
    private let plcBase: String

    /// Creates a resolver with its own HTTP connection pool; call `shutdown()` when done.
    public init(configuration: ResolverConfiguration = ResolverConfiguration()) {
        self.configuration = configuration
        self.fetcher = HTTPFetcher(configuration: configuration)
        var base = configuration.plcURL
        while base.hasSuffix("/") { base.removeLast() }
        self.plcBase = base
    }

    /// Closes the HTTP connection pool.
    public func shutdown() async throws {
        try await fetcher.shutdown()
    }

    /// Fetches and parses the DID document of `did`.
    public func resolve(_ did: String) async throws(IdentityError) -> Identity {
        let url: String
        switch try DIDSyntax.method(of: did, allowLocalPort: configuration.allowPrivateHosts) {
        case .plc:
            url = plcBase + "/" + did
        case .web(let host):
            // The localhost-with-port development form is served over plain http.
            let scheme = host.hasPrefix("localhost:") ? "http" : "https"
            url = "\(scheme)://\(host)/.well-known/did.json"
        }
        let response = try await fetcher.get(url, maxBytes: DIDDocument.maxBytes)
        switch response.status {
        case 200..<300:
            return try DIDDocument.parse(response.body, did: did)
        case 404:
            throw .notFound
        case 410:
            // The PLC directory's tombstone; a did:web host has no such notion, so "gone" means not found there.
            throw did.hasPrefix("did:plc:") ? .tombstoned : .notFound
        default:
            throw .httpStatus(response.status)
        }
    }

    /// Longest `/.well-known/atproto-did` body read (a DID plus whitespace).
    static let maxHandleResponseBytes = 4096

    /// The DID a handle claims via HTTPS `https://<handle>/.well-known/atproto-did`.
    public func resolveHandle(_ handle: String) async throws(IdentityError) -> String {
        guard let normalized = HandleSyntax.normalize(handle),
            HandleSyntax.isResolvable(normalized, allowTest: configuration.allowPrivateHosts)
        else { throw .invalidHandle(handle) }
        var base = configuration.handleBaseURL(normalized)
        while base.hasSuffix("/") { base.removeLast() }
        let response = try await fetcher.get(base + "/.well-known/atproto-did", maxBytes: Self.maxHandleResponseBytes)
        switch response.status {
        case 200..<300:
            let text = String(decoding: response.body, as: UTF8.self)
            let did = text.trimmingASCIIWhitespace()
            guard DIDSyntax.isValid(did) else { throw .invalidHandleResponse }
            return did
        case 404:
            throw .notFound
        default:
            throw .httpStatus(response.status)
        }
    }

    /// The bidirectional check: true only if `handle` resolves to exactly `did`.
    public func verify(handle: String, did: String) async -> Bool {
        (try? await resolveHandle(handle)) == did
    }

    /// The identity's claimed handle if it verifies, else nil.
    public func verifiedHandle(of identity: Identity) async -> String? {
        guard let handle = identity.handle, await verify(handle: handle, did: identity.did) else { return nil }
        return handle
    }
}

extension String {
    /// The string without leading and trailing ASCII spaces, tabs and line breaks.
    func trimmingASCIIWhitespace() -> String {
        let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\t" || $0 == "\n" || $0 == "\r" || $0 == "\r\n" }
        guard let first = firstIndex(where: { !isSpace($0) }), let last = lastIndex(where: { !isSpace($0) }) else {
            return ""
        }
        return String(self[first...last])
    }
}
