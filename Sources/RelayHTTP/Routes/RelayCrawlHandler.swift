import Relay

/// Connects `requestCrawl` to the relay's crawl admission, turning refusals into XRPC errors.
public struct RelayCrawlHandler: CrawlRequestHandler {
    /// The relay that crawls.
    public let relay: Relay

    /// Creates the handler.
    public init(relay: Relay) { self.relay = relay }

    public func requestCrawl(hostname: String) async throws(XRPCError) {
        do {
            try await relay.requestCrawl(hostname)
        } catch {
            throw Self.xrpcError(error)
        }
    }

    static func xrpcError(_ refusal: CrawlRefusal) -> XRPCError {
        switch refusal {
        case .disabled:
            XRPCError(.forbidden, "Forbidden", "this relay does not take public crawl requests now")
        case .invalidHostname(let name):
            .invalidRequest("not a hostname: \(name)")
        case .banned(let name):
            XRPCError(.forbidden, "HostBanned", "\(name) is banned")
        case .forbiddenAddress(let detail):
            XRPCError(.badRequest, "InvalidRequest", "host does not resolve to a public address: \(detail)")
        case .quotaExceeded:
            XRPCError(.tooManyRequests, "RateLimitExceeded", "the new-hosts-per-day quota is used up; try later")
        case .notAPDS(let detail):
            XRPCError(.badRequest, "InvalidRequest", "host did not answer like a PDS: \(detail)")
        case .isRelay(let name):
            XRPCError(.badRequest, "InvalidRequest", "\(name) is a relay, not a PDS")
        }
    }
}
