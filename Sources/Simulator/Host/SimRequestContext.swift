import Hummingbird
import HummingbirdWebSocket

/// The request context of a simulated host's routes (plain HTTP plus the WebSocket upgrade).
struct SimRequestContext: RequestContext, WebSocketRequestContext {
    var coreContext: CoreRequestContextStorage
    let webSocket: WebSocketHandlerReference<SimRequestContext>

    init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        webSocket = .init()
    }
}
