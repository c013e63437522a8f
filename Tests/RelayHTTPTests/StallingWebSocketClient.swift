import Foundation
import NIOCore
import NIOPosix
import Synchronization

/// A raw TCP WebSocket client (NIO, `autoRead` off) that performs the upgrade and then stops reading until told
/// to resume, so the server's socket to it fills up. It parses every frame it does read.
final class StallingWebSocketClient: Sendable {
    /// One received frame.
    struct Frame: Sendable, Equatable {
        var opcode: UInt8
        var payload: [UInt8]
    }

    /// What the client has seen so far.
    struct Seen: Sendable {
        var frames: [Frame] = []
        var closed = false
    }

    let channel: any Channel
    private let shared: SharedSeen

    private init(channel: any Channel, seen: SharedSeen) {
        self.channel = channel
        self.shared = seen
    }

    var seen: Seen { shared.state.withLock { $0 } }

    /// Connects, upgrades (reading only the 101 response) and stops reading.
    static func connect(port: Int, path: String) async throws -> StallingWebSocketClient {
        let upgraded = MultiThreadedEventLoopGroup.singleton.next().makePromise(of: Void.self)
        let seen = SharedSeen()
        let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .channelOption(.autoRead, value: false)
            // A small fixed receive buffer (no autotuning), so what the kernel can absorb for it stays far below
            // what the tests append.
            .channelOption(.socketOption(.so_rcvbuf), value: 65_536)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(
                        StallingFrameHandler(upgraded: upgraded, seen: seen))
                }
            }
            .connect(host: "127.0.0.1", port: port).get()
        let request = "GET \(path) HTTP/1.1\r\nHost: 127.0.0.1:\(port)\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
            + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n"
        try await channel.writeAndFlush(ByteBuffer(string: request))
        channel.read()
        try await upgraded.futureResult.get()
        return StallingWebSocketClient(channel: channel, seen: seen)
    }

    /// Reads everything from now on.
    func resume() async throws {
        let channel = self.channel
        try await channel.eventLoop.submit {
            try channel.pipeline.syncOperations.handler(type: StallingFrameHandler.self).reading = true
            channel.read()
        }.get()
    }

    func close() async { try? await channel.close() }
}

/// Holder so the handler and the client share one mutex.
final class SharedSeen: Sendable {
    let state = Mutex(StallingWebSocketClient.Seen())
}

/// Event-loop-confined parser behind ``StallingWebSocketClient``.
final class StallingFrameHandler: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer

    /// Whether to keep asking the socket for more (true until the upgrade response has been read).
    var reading = true
    private var upgradedYet = false
    private var settled = false
    private var pending = ByteBuffer()
    private let upgraded: EventLoopPromise<Void>
    private let seen: SharedSeen

    init(upgraded: EventLoopPromise<Void>, seen: SharedSeen) {
        self.upgraded = upgraded
        self.seen = seen
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        var buffer = unwrapInboundIn(data)
        pending.writeBuffer(&buffer)
        if !upgradedYet {
            let view = pending.readableBytesView
            guard let end = view.firstRange(of: [13, 10, 13, 10]) else { return }
            let response = String(decoding: view[view.startIndex..<end.upperBound], as: UTF8.self)
            pending.moveReaderIndex(forwardBy: end.upperBound - view.startIndex)
            upgradedYet = true
            reading = false
            settled = true
            guard response.hasPrefix("HTTP/1.1 101") else {
                upgraded.fail(ChannelError.inputClosed)
                return
            }
            upgraded.succeed(())
        }
        while let frame = nextFrame() {
            seen.state.withLock { $0.frames.append(frame) }
            // A close frame from the server ends the conversation (no close reply needed for these tests).
            if frame.opcode == 8 { context.close(promise: nil) }
        }
    }

    /// Parses one complete frame off `pending`, if there is one.
    private func nextFrame() -> StallingWebSocketClient.Frame? {
        let view = pending.readableBytesView
        guard view.count >= 2 else { return nil }
        let first = view[view.startIndex]
        let second = view[view.startIndex + 1]
        let short = Int(second & 0x7F)
        let extra = short == 126 ? 2 : short == 127 ? 8 : 0
        guard view.count >= 2 + extra else { return nil }
        var length = short
        if extra > 0 {
            length = 0
            for byte in view[(view.startIndex + 2)..<(view.startIndex + 2 + extra)] { length = length << 8 | Int(byte) }
        }
        guard view.count >= 2 + extra + length else { return nil }
        pending.moveReaderIndex(forwardBy: 2 + extra)
        let payload = pending.readBytes(length: length) ?? []
        pending.discardReadBytes()
        return .init(opcode: first & 0x0F, payload: payload)
    }

    func channelReadComplete(context: ChannelHandlerContext) {
        if reading { context.read() }
    }

    func channelInactive(context: ChannelHandlerContext) {
        seen.state.withLock { $0.closed = true }
        if !settled {
            settled = true
            upgraded.fail(ChannelError.inputClosed)
        }
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) { context.close(promise: nil) }
}
