import Hummingbird
import HummingbirdWebSocket
import NIOCore
import NIOWebSocket

/// permessage-deflate negotiation for the shared-compression scheme of design §6: accepted with
/// `server_no_context_takeover` and the full 15-bit server window, so one compressed payload per frame serves every
/// connection. A client that insists on a smaller server window is not offered compression at all.
public struct SharedDeflateBuilder: WebSocketExtensionBuilder {
    public static let name = "permessage-deflate"

    /// Creates the builder.
    public init() {}

    /// Whether an offer can be served from the shared payloads.
    static func accepts(_ offer: WebSocketExtensionHTTPParameters) -> Bool {
        guard offer.name == name else { return false }
        if let bits = offer.parameters["server_max_window_bits"] {
            // A bare parameter or 15 is fine; a smaller window would need a per-connection compressor.
            if let value = bits.integer, value != 15 { return false }
        }
        return true
    }

    /// Whether the request headers negotiate compression (used by the handler to pick the frame variant).
    public static func negotiates(_ headers: HTTPFields) -> Bool {
        WebSocketExtensionHTTPParameters.parseHeaders(headers).contains(where: accepts)
    }

    public func clientRequestHeader() -> String { "permessage-deflate" }

    public func serverReponseHeader(to offer: WebSocketExtensionHTTPParameters) -> String? {
        Self.accepts(offer) ? "permessage-deflate; server_no_context_takeover" : nil
    }

    public func serverExtension(from offer: WebSocketExtensionHTTPParameters) throws -> (any WebSocketExtension)? {
        Self.accepts(offer) ? SharedDeflateExtension() : nil
    }

    public func clientExtension(from _: WebSocketExtensionHTTPParameters) throws -> (any WebSocketExtension)? { nil }
}

/// The negotiated extension: outbound frames are already compressed by the handler (which sets RSV1 itself);
/// inbound data is ignored by the relay, so frames pass through unchanged.
struct SharedDeflateExtension: WebSocketExtension {
    let name = "permessage-deflate"
    var reservedBits: WebSocketFrame.ReservedBits { .rsv1 }

    func processReceivedFrame(_ frame: WebSocketFrame, context _: WebSocketExtensionContext) async throws
        -> WebSocketFrame
    { frame }

    func processFrameToSend(_ frame: WebSocketFrame, context _: WebSocketExtensionContext) async throws
        -> WebSocketFrame
    { frame }

    func shutdown() async {}
}

extension WebSocketExtensionFactory {
    /// The shared permessage-deflate negotiation.
    public static func sharedDeflate() -> WebSocketExtensionFactory { .init { SharedDeflateBuilder() } }
}
