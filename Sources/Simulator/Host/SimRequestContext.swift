import Hummingbird
import HummingbirdWebSocket
import NIOCore

/// The request context of a simulated host's routes (plain HTTP plus the WebSocket upgrade).
struct SimRequestContext: RequestContext, WebSocketRequestContext {
    var coreContext: CoreRequestContextStorage
    let webSocket: WebSocketHandlerReference<SimRequestContext>
    /// The connection (`subscribeRepos` writes its frames to it in batches, see ``SubscribeSession``).
    let channel: any Channel

    init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        webSocket = .init()
        channel = source.channel
    }
}
