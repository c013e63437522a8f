import NIOCore
import NIOWebSocket

/// Writes a subscriber's binary frames straight to its channel, a whole batch per event-loop turn and flush (the
/// relay's firehose and the simulated hosts both serve `subscribeRepos` this way).
///
/// Hummingbird's outbound writer flushes every frame, which at 100 subscribers × 2,000 events/s is 200,000 writes
/// (syscalls) a second. Our frames are final already (shared bytes, deflated once per event), so they can go down
/// the pipeline together, framed already (``WebSocketWireFrame``). Awaiting the batch's last write is the
/// back-pressure: it completes once the kernel took the bytes, so a client that stopped reading holds at most one
/// batch in memory.
public struct ChannelFrameWriter: Sendable {
    /// The subscriber's connection (its pipeline ends in the WebSocket frame encoder).
    public let channel: any Channel

    /// Writes to `channel`, a WebSocket connection after the upgrade.
    public init(channel: any Channel) { self.channel = channel }

    /// Writes messages already framed by ``WebSocketWireFrame`` and returns when all were written to the socket;
    /// throws when the connection is gone. They go to the channel below its WebSocket frame encoder, so a frame
    /// shared by many subscribers is neither framed again nor copied per subscriber.
    public func write(wireFrames: [ByteBuffer]) async throws {
        guard !wireFrames.isEmpty else { return }
        let channel = self.channel
        let promise = channel.eventLoop.makePromise(of: Void.self)
        channel.eventLoop.execute {
            let encoder: ChannelHandlerContext
            do {
                encoder = try channel.pipeline.syncOperations.context(handlerType: WebSocketFrameEncoder.self)
            } catch {
                // Closed (the pipeline was taken down) or not a WebSocket connection.
                promise.fail(error)
                return
            }
            let last = wireFrames.count - 1
            for (index, frame) in wireFrames.enumerated() {
                encoder.write(NIOAny(frame), promise: index == last ? promise : nil)
            }
            channel.flush()
        }
        try await promise.futureResult.get()
    }

    /// Writes one uncompressed frame (the `#info` and error frames, which are never compressed).
    public func write(_ payload: [UInt8]) async throws {
        try await write(wireFrames: [WebSocketWireFrame.make(payload, compressed: false)])
    }
}
