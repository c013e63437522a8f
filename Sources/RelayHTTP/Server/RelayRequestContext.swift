import Hummingbird
import HummingbirdWebSocket
import NIOCore

/// The request context of every relay route: WebSocket upgrade support and the client's address.
public struct RelayRequestContext: RequestContext, WebSocketRequestContext, RemoteAddressRequestContext {
    public var coreContext: CoreRequestContextStorage
    public let webSocket: WebSocketHandlerReference<RelayRequestContext>
    public let remoteAddress: SocketAddress?
    /// The connection (closed directly when a subscriber stops reading, see ``SubscribeReposService``).
    let channel: any Channel

    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        webSocket = .init()
        remoteAddress = source.channel.remoteAddress
        channel = source.channel
    }

    /// The client's IP address as text (used for the per-address connection cap).
    public var clientAddress: String { remoteAddress?.ipAddress ?? "unknown" }
}
