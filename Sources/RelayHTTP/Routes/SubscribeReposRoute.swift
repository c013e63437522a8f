import Hummingbird
import HummingbirdWebSocket

/// Wires `subscribeRepos`: the WebSocket router upgrades valid requests; everything else (bad parameters, over the
/// per-address cap, no Upgrade header) reaches the plain HTTP route, which answers with an XRPC error.
enum SubscribeReposRoute {
    static let path: RouterPath = "/xrpc/com.atproto.sync.subscribeRepos"

    static func parameters(_ request: Request) throws(XRPCError) -> SubscribeParameters {
        try SubscribeParameters.parse(uri: request.uri)
    }

    static func register(http router: Router<RelayRequestContext>, webSocket wsRouter: Router<RelayRequestContext>,
                         service: SubscribeReposService, limiter: ConnectionLimiter)
    {
        router.get(path) { request, context -> Response in
            do throws(XRPCError) {
                _ = try parameters(request)
            } catch {
                return error.response
            }
            guard limiter.allows(context.clientAddress) else {
                service.metrics.refusedConnections.increment()
                return XRPCError(.tooManyRequests, "RateLimitExceeded", "too many subscriptions from this address")
                    .response
            }
            return XRPCError(.upgradeRequired, "InvalidRequest", "subscribeRepos is a WebSocket endpoint").response
        }
        wsRouter.ws(path) { request, context in
            guard (try? parameters(request)) != nil, limiter.allows(context.clientAddress) else { return .dontUpgrade }
            return .upgrade([:])
        } onUpgrade: { inbound, outbound, context in
            let request = context.request
            let address = context.requestContext.clientAddress
            guard let parameters = try? parameters(request) else { return }
            guard limiter.acquire(address) else {
                service.metrics.refusedConnections.increment()
                return
            }
            defer { limiter.release(address) }
            let compressed = SharedDeflateBuilder.negotiates(request.headers)
            let channel = context.requestContext.channel
            try await service.serve(parameters, compressed: compressed, remoteAddress: address, inbound: inbound,
                                    outbound: outbound, channel: channel,
                                    closeConnection: { channel.close(promise: nil) })
        }
    }
}
