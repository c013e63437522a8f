import Hummingbird
import HummingbirdWebSocket

/// A simulated host's routes: `subscribeRepos` plus the `com.atproto.sync` and `describeServer` queries.
enum HostRoutes {
    static let subscribePath: RouterPath = "/xrpc/com.atproto.sync.subscribeRepos"

    /// The `cursor` parameter: absent, or a non-negative integer.
    static func cursor(_ request: Request) -> Result<Int64?, HostQueryFailure> {
        guard let text = request.uri.queryParameters.get("cursor") else { return .success(nil) }
        guard let value = Int64(text), value >= 0 else { return .failure(HostQueryFailure("cursor must be an integer")) }
        return .success(value)
    }

    static func register(http router: Router<SimRequestContext>, webSocket wsRouter: Router<SimRequestContext>,
                         host: Int, sequencer: EventSequencer, data: HostDataSourceSlot)
    {
        router.get(subscribePath) { request, _ -> Response in
            if case .failure(let failure) = cursor(request) {
                return response(.error(400, "InvalidRequest", failure.message))
            }
            return response(.error(426, "InvalidRequest", "subscribeRepos is a WebSocket endpoint"))
        }
        wsRouter.ws(subscribePath) { request, _ in
            guard case .success = cursor(request) else { return .dontUpgrade }
            return .upgrade([:])
        } onUpgrade: { inbound, outbound, context in
            guard case .success(let cursor) = cursor(context.request) else { return }
            try await SubscribeSession.serve(cursor: cursor, sequencer: sequencer, inbound: inbound,
                                             outbound: outbound, channel: context.requestContext.channel)
        }
        router.get("/xrpc/com.atproto.server.describeServer") { _, _ -> Response in
            await answer(data) { await $0.describeServer(host: host) }
        }
        router.get("/xrpc/com.atproto.sync.listRepos") { request, _ -> Response in
            let parameters = request.uri.queryParameters
            var limit = 500
            if let text = parameters.get("limit") {
                guard let value = Int(text), (1...1000).contains(value) else {
                    return response(.error(400, "InvalidRequest", "limit must be 1...1000"))
                }
                limit = value
            }
            let cursor = parameters.get("cursor")
            return await answer(data) { await $0.listRepos(host: host, cursor: cursor, limit: limit) }
        }
        router.get("/xrpc/com.atproto.sync.getRepoStatus") { request, _ -> Response in
            guard let did = request.uri.queryParameters.get("did") else { return missingDID }
            return await answer(data) { await $0.repoStatus(host: host, did: did) }
        }
        router.get("/xrpc/com.atproto.sync.getLatestCommit") { request, _ -> Response in
            guard let did = request.uri.queryParameters.get("did") else { return missingDID }
            return await answer(data) { await $0.latestCommit(host: host, did: did) }
        }
        router.get("/xrpc/com.atproto.sync.getRepo") { request, _ -> Response in
            guard let did = request.uri.queryParameters.get("did") else { return missingDID }
            return await answer(data) { await $0.repo(host: host, did: did) }
        }
    }

    static var missingDID: Response { response(.error(400, "InvalidRequest", "did is required")) }

    static func answer(_ slot: HostDataSourceSlot, _ body: (any HostDataSource) async -> HostAnswer) async
        -> Response
    {
        guard let source = slot.source else { return response(.error(503, "Unavailable", "host is shutting down")) }
        return response(await body(source))
    }

    static func response(_ answer: HostAnswer) -> Response {
        Response(status: HTTPResponse.Status(code: answer.status),
                 headers: [.contentType: answer.contentType],
                 body: .init(byteBuffer: ByteBuffer(bytes: answer.body)))
    }
}

/// A malformed query parameter.
struct HostQueryFailure: Error, Sendable {
    let message: String
    init(_ message: String) { self.message = message }
}
