import Foundation
import NIOCore
import NIOPosix

/// A lightweight WebSocket consumer for the benchmarks, on raw NIO: it performs the upgrade, then reads every byte
/// of every frame and parses the frame boundaries without copying payloads (so 100 of them do not dominate the
/// machine the server shares). It keeps a receive timestamp per data frame, the first and last payloads (to check
/// seqs), and answers pings.
final class BenchSubscriber: Sendable {
    /// What one subscriber saw.
    struct Report: Sendable {
        /// Complete data messages received.
        var frames = 0
        /// Payload bytes of those messages (as sent on the wire, compressed or not).
        var payloadBytes = 0
        /// Monotonic receive time (ns) of each data message, in order.
        var receiveTimes: [UInt64] = []
        /// Payload of the first and of the last data message.
        var firstPayload: [UInt8] = []
        var lastPayload: [UInt8] = []
        /// Whether the last data message had RSV1 (permessage-deflate) set.
        var lastCompressed = false
        /// Close code, if the server sent a close frame.
        var closeCode: UInt16?
        /// Whether the server accepted permessage-deflate.
        var deflateAccepted = false
    }

    enum Failure: Error, CustomStringConvertible {
        case upgradeRefused(String)
        case closedEarly(received: Int, expected: Int)

        var description: String {
            switch self {
            case .upgradeRefused(let line): "WebSocket upgrade refused: \(line)"
            case .closedEarly(let received, let expected): "connection closed after \(received) of \(expected) frames"
            }
        }
    }

    let channel: Channel
    /// Fulfilled after the upgrade response.
    let upgraded: EventLoopFuture<Void>
    /// Fulfilled with what was received when `expectedFrames` data messages arrived, or failed when the connection
    /// closes first.
    let completed: EventLoopFuture<Report>

    private init(channel: Channel, upgraded: EventLoopFuture<Void>, completed: EventLoopFuture<Report>) {
        self.channel = channel
        self.upgraded = upgraded
        self.completed = completed
    }

    /// Connects to `ws://127.0.0.1:port` + `path` and upgrades; `recordTimes` keeps a timestamp per frame.
    /// `onMessage` (called on the event loop) receives every complete data message's payload.
    static func connect(group: EventLoopGroup, port: Int, path: String, deflate: Bool, expectedFrames: Int,
                        recordTimes: Bool, onMessage: (@Sendable ([UInt8]) -> Void)? = nil) async throws
        -> BenchSubscriber
    {
        let eventLoop = group.next()
        let upgraded = eventLoop.makePromise(of: Void.self)
        let completed = eventLoop.makePromise(of: Report.self)
        let channel = try await ClientBootstrap(group: eventLoop)
            .channelOption(.socketOption(.so_reuseaddr), value: 1)
            .channelOption(.recvAllocator, value: AdaptiveRecvByteBufferAllocator(minimum: 4096, initial: 65536,
                                                                                 maximum: 1 << 20))
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(FrameReader(
                        expectedFrames: expectedFrames, recordTimes: recordTimes, upgraded: upgraded,
                        completed: completed, onMessage: onMessage))
                }
            }
            .connect(host: "127.0.0.1", port: port).get()
        var request = "GET \(path) HTTP/1.1\r\nHost: 127.0.0.1:\(port)\r\nUpgrade: websocket\r\n"
        request += "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n"
        if deflate { request += "Sec-WebSocket-Extensions: permessage-deflate\r\n" }
        request += "\r\n"
        try await channel.writeAndFlush(ByteBuffer(string: request))
        let subscriber = BenchSubscriber(channel: channel, upgraded: upgraded.futureResult,
                                         completed: completed.futureResult)
        try await subscriber.upgraded.get()
        return subscriber
    }

    /// Closes the TCP connection.
    func close() async { try? await channel.close() }
}

/// The per-connection parser (event-loop confined).
final class FrameReader: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    private enum Phase {
        case response([UInt8])
        /// Reading a frame header into `header`.
        case header
        case payload(remaining: Int)
    }

    private var phase = Phase.response([])
    private let expectedFrames: Int
    private let recordTimes: Bool
    private let upgraded: EventLoopPromise<Void>
    private let completed: EventLoopPromise<BenchSubscriber.Report>
    private var done = false
    private var upgradeSettled = false
    private var report = BenchSubscriber.Report()
    // Current frame.
    private var opcode: UInt8 = 0
    private var fin = false
    private var rsv1 = false
    private var keep = false
    private var kept: [UInt8] = []
    /// The frame header being read (reused: a frame header per event must not cost an allocation).
    private var header: [UInt8] = []
    private var messageLength = 0
    private let onMessage: (@Sendable ([UInt8]) -> Void)?

    init(expectedFrames: Int, recordTimes: Bool, upgraded: EventLoopPromise<Void>,
         completed: EventLoopPromise<BenchSubscriber.Report>, onMessage: (@Sendable ([UInt8]) -> Void)? = nil)
    {
        self.onMessage = onMessage
        self.expectedFrames = expectedFrames
        self.recordTimes = recordTimes
        self.upgraded = upgraded
        self.completed = completed
        if recordTimes { report.receiveTimes.reserveCapacity(expectedFrames) }
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        var buffer = unwrapInboundIn(data)
        while buffer.readableBytes > 0 {
            switch phase {
            case .response(var bytes):
                guard let byte = buffer.readInteger(as: UInt8.self) else { return }
                bytes.append(byte)
                if bytes.count >= 4, bytes.suffix(4).elementsEqual([13, 10, 13, 10]) {
                    let text = String(decoding: bytes, as: UTF8.self)
                    upgradeSettled = true
                    guard text.hasPrefix("HTTP/1.1 101") else {
                        let line = text.split(separator: "\r\n").first.map(String.init) ?? text
                        upgraded.fail(BenchSubscriber.Failure.upgradeRefused(line))
                        context.close(promise: nil)
                        return
                    }
                    report.deflateAccepted = text.lowercased().contains("permessage-deflate")
                    phase = .header
                    header.removeAll(keepingCapacity: true)
                    upgraded.succeed(())
                } else {
                    phase = .response(bytes)
                }
            case .header:
                guard let byte = buffer.readInteger(as: UInt8.self) else { return }
                header.append(byte)
                if let (length, headerSize) = Self.frameLength(header), header.count == headerSize {
                    startFrame(first: header[0], length: length, context: context)
                }
            case .payload(let remaining):
                let take = min(remaining, buffer.readableBytes)
                if keep {
                    // Into the reused buffer: no allocation per frame once it has grown to the largest frame.
                    buffer.withUnsafeReadableBytes { bytes in
                        kept.append(contentsOf: UnsafeRawBufferPointer(rebasing: bytes.prefix(take)))
                    }
                }
                buffer.moveReaderIndex(forwardBy: take)
                if take == remaining {
                    endFrame(context: context)
                } else {
                    phase = .payload(remaining: remaining - take)
                }
            }
        }
    }

    /// (payload length, header size) once enough header bytes are present.
    private static func frameLength(_ bytes: [UInt8]) -> (Int, Int)? {
        guard bytes.count >= 2 else { return nil }
        let masked = bytes[1] & 0x80 != 0
        let short = Int(bytes[1] & 0x7F)
        let extra = short == 126 ? 2 : short == 127 ? 8 : 0
        let size = 2 + extra + (masked ? 4 : 0)
        guard bytes.count >= size else { return nil }
        var length = short
        if extra > 0 {
            length = 0
            for byte in bytes[2..<(2 + extra)] { length = length << 8 | Int(byte) }
        }
        return (length, size)
    }

    private func startFrame(first: UInt8, length: Int, context: ChannelHandlerContext) {
        let code = first & 0x0F
        fin = first & 0x80 != 0
        if code != 0 {
            opcode = code
            if code == 2 || code == 1 { rsv1 = first & 0x40 != 0 }
        }
        let isControl = code >= 8
        let index = report.frames
        keep = isControl || index == 0 || index == expectedFrames - 1 || onMessage != nil
        if !isControl { messageLength += length }
        kept.removeAll(keepingCapacity: true)
        if length == 0 {
            endFrame(context: context)
        } else {
            phase = .payload(remaining: length)
        }
    }

    private func endFrame(context: ChannelHandlerContext) {
        phase = .header
        header.removeAll(keepingCapacity: true)
        switch opcode {
        case 8:
            if kept.count >= 2 { report.closeCode = UInt16(kept[0]) << 8 | UInt16(kept[1]) }
            context.close(promise: nil)
        case 9:
            // Pong with the same payload; client frames are masked (a zero key leaves the payload as is).
            var pong = context.channel.allocator.buffer(capacity: 6 + kept.count)
            pong.writeBytes([0x8A, 0x80 | UInt8(min(kept.count, 125)), 0, 0, 0, 0])
            pong.writeBytes(kept.prefix(125))
            context.writeAndFlush(wrapOutboundOut(pong), promise: nil)
            opcode = 2
        case 10:
            opcode = 2
        default:
            guard fin else { return }
            if recordTimes { report.receiveTimes.append(DispatchTime.now().uptimeNanoseconds) }
            if let onMessage {
                onMessage(kept)
            } else {
                if report.frames == 0 { report.firstPayload = kept }
                report.lastPayload = kept
            }
            report.lastCompressed = rsv1
            report.frames += 1
            report.payloadBytes += messageLength
            messageLength = 0
            if report.frames == expectedFrames, !done {
                done = true
                completed.succeed(report)
            }
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        if !upgradeSettled {
            upgradeSettled = true
            upgraded.fail(BenchSubscriber.Failure.upgradeRefused("connection closed"))
        }
        if !done {
            done = true
            completed.fail(BenchSubscriber.Failure.closedEarly(received: report.frames, expected: expectedFrames))
        }
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: Error) { context.close(promise: nil) }
}
