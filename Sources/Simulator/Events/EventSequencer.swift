import Firehose
import NIOCore
import Synchronization

/// One host's sequenced event history and the cursors reading it.
///
/// Seq numbers start at 1 and grow by 1 per retained event. Every subscriber is a position in the history: it reads
/// what follows its position and sleeps on a doorbell when caught up, so backfill and live delivery are one loop
/// and a slow reader only slows itself (and is cut off with `ConsumerTooSlow` once the bounded history has moved
/// past it). Live-only frames (`appendLiveOnly`, used for in-transit corruption) reach only the connections open
/// when they were emitted and are never replayed.
public final class EventSequencer: Sendable {
    struct Entry {
        /// nil for a live-only frame.
        let seq: Int64?
        /// The last seq at or before this entry (non-decreasing; used to place cursors).
        let seqFloor: Int64
        /// The frame, framed for the wire (``WebSocketWireFrame``), ready to write: every connection's write shares
        /// its storage instead of copying or framing it again.
        let frame: ByteBuffer
        /// Delivered only to connections whose id is below this.
        let connectionsBelow: Int
    }

    struct State {
        var entries: [Entry] = []
        var firstPosition = 0
        var nextSeq: Int64 = 1
        var historyLimit: Int
        var nextConnection = 0
        var generation = 0
        var doorbells: [Int: AsyncStream<Void>.Continuation] = [:]
        var closed = false
        /// Entries from this position on are held back from every reader (see ``holdDelivery()``).
        var heldFrom: Int?
        var endPosition: Int { firstPosition + entries.count }
        /// The end of what readers may read now.
        var deliverableEnd: Int { min(endPosition, heldFrom ?? .max) }
        var oldestSeq: Int64? { entries.first { $0.seq != nil }?.seq }
    }

    /// A connected reader.
    struct Connection: Sendable {
        let id: Int
        let generation: Int
        /// The first position to read.
        let start: Int
        /// The cursor was older than the retained history (`#info OutdatedCursor` first).
        let outdated: Bool
        let doorbell: AsyncStream<Void>
    }

    /// What opening a subscription found.
    enum Opening: Sendable {
        case subscribed(Connection)
        case futureCursor(head: Int64)
        case closed
    }

    /// What one read found.
    enum ReadResult {
        case frames([ByteBuffer], next: Int)
        case caughtUp
        case ended
        case tooSlow
    }

    private let state: Mutex<State>

    /// A sequencer keeping at most `historyLimit` entries (at least 1).
    public init(historyLimit: Int) {
        state = Mutex(State(historyLimit: max(1, historyLimit)))
    }

    /// The last seq assigned (0 before the first event or right after a reset).
    public var headSeq: Int64 { state.withLock { $0.nextSeq - 1 } }
    /// The oldest retained seq, if any.
    public var oldestSeq: Int64? { state.withLock { $0.oldestSeq } }
    /// Entries currently retained.
    public var retainedCount: Int { state.withLock { $0.entries.count } }
    /// Connected subscribers.
    public var subscriberCount: Int { state.withLock { $0.doorbells.count } }

    /// The retained frames that carry a seq, oldest first, at most `limit` (benchmarks sample them).
    public func retainedFrames(limit: Int = .max) -> [[UInt8]] {
        state.withLock { state in
            Array(state.entries.lazy.filter { $0.seq != nil }.prefix(max(0, limit)).map {
                Array(WebSocketWireFrame.payload(of: $0.frame).readableBytesView)
            })
        }
    }

    /// The most entries kept; older ones are forgotten (a cursor before them gets `OutdatedCursor`).
    public var historyLimit: Int {
        get { state.withLock { $0.historyLimit } }
        set { state.withLock { $0.historyLimit = max(1, newValue) } }
    }

    /// Appends an event: `encode` receives the assigned seq and returns the frame bytes.
    @discardableResult
    public func append(_ encode: (Int64) -> [UInt8]) -> (seq: Int64, bytes: [UInt8]) {
        state.withLock { state in
            let seq = state.nextSeq
            state.nextSeq += 1
            let bytes = encode(seq)
            let frame = WebSocketWireFrame.make(bytes, compressed: false)
            state.entries.append(Entry(seq: seq, seqFloor: seq, frame: frame, connectionsBelow: .max))
            Self.trim(&state)
            Self.ring(state)
            return (seq, bytes)
        }
    }

    /// Holds back the events appended from now on until ``releaseDelivery()``: a benchmark can build its whole
    /// stream first and let a relay warm up on the events before it (the accounts' creation) without touching it.
    /// Held entries are kept past the history limit.
    public func holdDelivery() {
        state.withLock { state in
            if state.heldFrom == nil { state.heldFrom = state.endPosition }
        }
    }

    /// Delivers the held events (as fast as readers read them).
    public func releaseDelivery() {
        state.withLock { state in
            state.heldFrom = nil
            Self.trim(&state)
            Self.ring(state)
        }
    }

    /// Sends `bytes` to the connections open now, without a seq and without keeping it for replay.
    public func appendLiveOnly(_ bytes: [UInt8]) {
        state.withLock { state in
            state.entries.append(Entry(seq: nil, seqFloor: state.nextSeq - 1,
                                       frame: WebSocketWireFrame.make(bytes, compressed: false),
                                       connectionsBelow: state.nextConnection))
            Self.trim(&state)
            Self.ring(state)
        }
    }

    /// Forgets the history and restarts seq at 1; open connections are closed (as when a PDS is rebuilt).
    public func reset() {
        state.withLock { state in
            state.firstPosition = state.endPosition
            state.entries.removeAll()
            state.heldFrom = nil
            state.nextSeq = 1
            state.generation += 1
            Self.finishAll(&state)
        }
    }

    /// Ends every connection and refuses new ones (shutdown).
    func close() {
        state.withLock { state in
            state.closed = true
            Self.finishAll(&state)
        }
    }

    /// Opens a reader at `cursor` (nil: live only; 0: everything retained; C: events with seq > C).
    func open(cursor: Int64?) -> Opening {
        state.withLock { state in
            guard !state.closed else { return .closed }
            let head = state.nextSeq - 1
            // Live only: from what readers may read now (held events reach it once released).
            var start = state.deliverableEnd
            var outdated = false
            if let cursor {
                if cursor > head { return .futureCursor(head: head) }
                let oldest = state.oldestSeq ?? (head + 1)
                if cursor == 0 {
                    start = state.firstPosition
                } else if cursor < oldest - 1 {
                    outdated = true
                    start = state.firstPosition
                } else {
                    start = state.firstPosition + Self.firstIndex(in: state.entries, after: cursor)
                }
            }
            let id = state.nextConnection
            state.nextConnection += 1
            let (doorbell, continuation) = AsyncStream.makeStream(of: Void.self, bufferingPolicy: .bufferingNewest(1))
            state.doorbells[id] = continuation
            return .subscribed(Connection(id: id, generation: state.generation, start: start, outdated: outdated,
                                          doorbell: doorbell))
        }
    }

    /// Reads up to `limit` frames from `position`.
    func read(_ connection: Connection, from position: Int, limit: Int) -> ReadResult {
        state.withLock { state in
            guard !state.closed, connection.generation == state.generation else { return .ended }
            if position < state.firstPosition { return .tooSlow }
            let end = state.deliverableEnd
            if position >= end { return .caughtUp }
            var frames: [ByteBuffer] = []
            var next = position
            while next < end, frames.count < limit {
                let entry = state.entries[next - state.firstPosition]
                next += 1
                if connection.id < entry.connectionsBelow { frames.append(entry.frame) }
            }
            return .frames(frames, next: next)
        }
    }

    /// Unregisters a reader.
    func release(_ connection: Connection) {
        let continuation = state.withLock { $0.doorbells.removeValue(forKey: connection.id) }
        continuation?.finish()
    }

    /// Index of the first entry whose seq floor exceeds `cursor` (binary search; floors never decrease).
    private static func firstIndex(in entries: [Entry], after cursor: Int64) -> Int {
        var low = 0
        var high = entries.count
        while low < high {
            let middle = (low + high) / 2
            if entries[middle].seqFloor > cursor { high = middle } else { low = middle + 1 }
        }
        return low
    }

    private static func trim(_ state: inout State) {
        // Trim in chunks so appends stay amortised O(1).
        let slack = max(16, state.historyLimit / 8)
        guard state.heldFrom == nil, state.entries.count > state.historyLimit + slack else { return }
        let drop = state.entries.count - state.historyLimit
        state.entries.removeFirst(drop)
        state.firstPosition += drop
    }

    private static func ring(_ state: State) {
        for continuation in state.doorbells.values { continuation.yield() }
    }

    private static func finishAll(_ state: inout State) {
        for continuation in state.doorbells.values { continuation.finish() }
        state.doorbells.removeAll()
    }
}
