import ATData
import NIOCore
import Synchronization

/// One of the soak's consumers: a raw-NIO WebSocket reader (``BenchSubscriber``) that takes the seq out of every
/// frame and checks the stream is gapless: each event must carry the seq after the previous one.
final class SoakSubscriber: Sendable {
    /// What it saw so far.
    struct Tally: Sendable {
        var received = 0
        var lastSeq: Int64
        /// Seqs skipped over (lost events).
        var missing = 0
        /// Frames whose seq was not above the previous one (duplicates or reordering).
        var outOfOrder = 0
        /// Error frames, `#info` frames and frames whose seq could not be read.
        var otherFrames = 0
    }

    private let tally: Mutex<Tally>
    private let connection: Mutex<BenchSubscriber?> = Mutex(nil)

    private init(cursor: Int64) { tally = Mutex(Tally(lastSeq: cursor)) }

    /// Subscribes from `cursor` (the seq before the first expected event).
    static func connect(group: EventLoopGroup, port: Int, cursor: Int64) async throws -> SoakSubscriber {
        let subscriber = SoakSubscriber(cursor: cursor)
        let reader = try await BenchSubscriber.connect(
            group: group, port: port, path: "/xrpc/com.atproto.sync.subscribeRepos?cursor=\(cursor)", deflate: false,
            expectedFrames: Int.max, recordTimes: false, onMessage: { [subscriber] payload in
                subscriber.count(payload)
            })
        subscriber.connection.withLock { $0 = reader }
        return subscriber
    }

    /// The tally now.
    var snapshot: Tally { tally.withLock { $0 } }

    /// Whether the connection is still open.
    var isConnected: Bool { connection.withLock { $0?.channel.isActive ?? false } }

    /// Closes the connection.
    func close() async {
        let reader = connection.withLock { $0 }
        await reader?.close()
    }

    private func count(_ payload: [UInt8]) {
        let seq = Self.seq(of: payload)
        tally.withLock { tally in
            tally.received += 1
            guard let seq else {
                tally.otherFrames += 1
                return
            }
            if seq <= tally.lastSeq {
                tally.outOfOrder += 1
                return
            }
            tally.missing += Int(seq - tally.lastSeq - 1)
            tally.lastSeq = seq
        }
    }

    /// The `seq` of an event frame (header, then a body map holding `seq`), read without decoding the rest.
    static func seq(of frame: [UInt8]) -> Int64? {
        FrameBodyField.read(frame, body: nil, named: "seq") { reader throws(DAGCBORError) in try reader.readInteger() }
    }
}
