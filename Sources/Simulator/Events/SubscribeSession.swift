import Firehose
import HummingbirdWebSocket
import NIOCore

/// Serves one `subscribeRepos` connection from a host's `EventSequencer`.
enum SubscribeSession {
    /// Frames written per read of the history.
    static let batchSize = 128

    /// Runs the connection until the client leaves, the history is reset, the reader falls out of the history, or
    /// the host shuts down. Frames go to `channel` a batch per flush, like the relay's own firehose (one write and
    /// flush per frame is one syscall per frame, which the ingest benchmark's hosts pay on the relay's 2 cores);
    /// `outbound` only closes.
    static func serve(cursor: Int64?, sequencer: EventSequencer, inbound: WebSocketInboundStream,
                      outbound: WebSocketOutboundWriter, channel: any Channel) async throws
    {
        let writer = ChannelFrameWriter(channel: channel)
        let connection: EventSequencer.Connection
        switch sequencer.open(cursor: cursor) {
        case .closed:
            return
        case .futureCursor(let head):
            let message = "cursor \(cursor ?? 0) is ahead of this host's head seq \(head)"
            try await writer.write(FrameEncoder.encode(ErrorMessage(error: "FutureCursor", message: message)))
            // A close racing the upgrade response can hide the frame from the client (see FirehoseClient's docs).
            try? await Task.sleep(for: .milliseconds(250))
            return
        case .subscribed(let opened):
            connection = opened
        }
        defer { sequencer.release(connection) }
        if connection.outdated {
            try await writer.write(FrameEncoder.encode(InfoMessage(
                name: "OutdatedCursor", message: "cursor \(cursor ?? 0) is older than the retained history")))
        }
        await withTaskGroup(of: Void.self) { group in
            group.addTask {
                do {
                    try await send(connection, sequencer: sequencer, writer: writer)
                } catch {}
                try? await outbound.close(.normalClosure, reason: nil)
            }
            // Reading is how a client disconnect is noticed while the sender sleeps.
            do {
                for try await _ in inbound {}
            } catch {}
            group.cancelAll()
        }
    }

    private static func send(_ connection: EventSequencer.Connection, sequencer: EventSequencer,
                             writer: ChannelFrameWriter) async throws
    {
        var position = connection.start
        var doorbell = connection.doorbell.makeAsyncIterator()
        while !Task.isCancelled {
            switch sequencer.read(connection, from: position, limit: batchSize) {
            case .frames(let frames, let next):
                try await writer.write(wireFrames: frames)
                position = next
            case .caughtUp:
                guard await doorbell.next() != nil else { return }
            case .ended:
                return
            case .tooSlow:
                try await writer.write(FrameEncoder.encode(ErrorMessage(
                    error: "ConsumerTooSlow", message: "the host's history moved past this connection")))
                return
            }
        }
    }
}
