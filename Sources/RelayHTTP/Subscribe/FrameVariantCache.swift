import EventLog
import Firehose
import NIOCore
import Synchronization

/// Produces each event's frame variants once and shares the bytes among subscribers (design §2, §6). The full
/// variant is the stored frame itself, copied out of the log once into a buffer every subscriber sends.
///
/// Subscribers near the head ask for the same seqs at about the same time; the first one produces a variant under
/// the lock and the rest reuse it. Entries are evicted oldest first beyond a count and a byte budget.
public final class FrameVariantCache: Sendable {
    /// One event's variants; `seq` says which event the slot holds (0: none).
    private struct Slot {
        var seq: UInt64 = 0
        var full: ByteBuffer?
        var stripped: ByteBuffer?
        var compressed: ByteBuffer?
        var strippedCompressed: ByteBuffer?
        var bytes = 0

        subscript(index: Int) -> ByteBuffer? {
            get {
                switch index {
                case 0: full
                case 1: stripped
                case 2: compressed
                default: strippedCompressed
                }
            }
            set {
                switch index {
                case 0: full = newValue
                case 1: stripped = newValue
                case 2: compressed = newValue
                default: strippedCompressed = newValue
                }
            }
        }
    }

    /// Slots indexed by `seq & mask`, and the seqs in insertion order (a ring) for the byte budget. Seqs are
    /// assigned in order, so the slot ring keeps the newest events without hashing or allocating per event; an
    /// event whose slot a newer one took (or that the byte budget evicted) is simply produced again.
    private struct State {
        var slots: [Slot]
        var order: [UInt64]
        var orderStart = 0
        var orderCount = 0
        var entries = 0
        var bytes = 0
        var produced = [0, 0, 0, 0]
        var productionNanoseconds: [UInt64] = [0, 0, 0, 0]
    }

    private let state: Mutex<State>
    private let mask: Int
    /// Most events kept.
    public let maxEntries: Int
    /// Most bytes kept.
    public let maxBytes: Int

    /// Creates a cache.
    public init(maxEntries: Int = 16_384, maxBytes: Int = 128 << 20) {
        self.maxEntries = max(1, maxEntries)
        self.maxBytes = maxBytes
        var capacity = 1
        while capacity < self.maxEntries { capacity <<= 1 }
        mask = capacity - 1
        state = Mutex(State(slots: Array(repeating: Slot(), count: capacity),
                            order: Array(repeating: 0, count: self.maxEntries)))
    }

    /// How many times each variant was produced (for metrics and tests).
    public func producedCount(_ variant: FrameVariant) -> Int { state.withLock { $0.produced[variant.index] } }

    /// Events held now (for tests).
    public var count: Int { state.withLock { $0.entries } }

    /// CPU time (of the producing threads) spent building `variant` so far, e.g. compression cost for benchmarks
    /// (not measured for the full variant, a copy: always 0).
    public func productionCPUNanoseconds(_ variant: FrameVariant) -> UInt64 {
        state.withLock { $0.productionNanoseconds[variant.index] }
    }

    /// The WebSocket message to send for the event `view` shows (read inside the log's read transaction) in
    /// `variant`, framed (``WebSocketWireFrame``; compressed variants are raw deflate with RSV1 set). A hit is one
    /// lookup; a miss copies the frame out of the map once for every subscriber (the full variant included).
    public func wireFrame(for view: EventView, variant: FrameVariant) -> ByteBuffer {
        cached(seq: view.seq, variant: variant) {
            variant == .full
                ? view.frame.withUnsafeBytes { WebSocketWireFrame.make($0, compressed: false) }
                : WebSocketWireFrame.make(Self.produce(view.copy(), variant: variant), compressed: variant.compressed)
        }
    }

    /// The message payload of ``wireFrame(for:variant:)`` (sharing its storage).
    public func frame(for view: EventView, variant: FrameVariant) -> ByteBuffer {
        WebSocketWireFrame.payload(of: wireFrame(for: view, variant: variant))
    }

    /// The cached variant of `seq`, made by `make` (under the lock, so it is made once) when absent.
    private func cached(seq: UInt64, variant: FrameVariant, make: () -> ByteBuffer) -> ByteBuffer {
        let slotIndex = Int(truncatingIfNeeded: seq) & mask
        return state.withLock { state in
            if state.slots[slotIndex].seq == seq, let buffer = state.slots[slotIndex][variant.index] { return buffer }
            // The full variant is a plain copy; timing it would cost two clock syscalls per event for nothing.
            let timed = variant != .full
            let started = timed ? ThreadCPUClock.nanoseconds() : 0
            let buffer = make()
            if timed { state.productionNanoseconds[variant.index] &+= ThreadCPUClock.nanoseconds() &- started }
            if state.slots[slotIndex].seq != seq {
                Self.clear(&state, slot: slotIndex)
                if state.orderCount == maxEntries { Self.evictOldest(&state, mask: mask) }
                state.order[(state.orderStart + state.orderCount) % maxEntries] = seq
                state.orderCount += 1
                state.slots[slotIndex].seq = seq
                state.entries += 1
            }
            state.slots[slotIndex][variant.index] = buffer
            state.slots[slotIndex].bytes += buffer.readableBytes
            state.bytes += buffer.readableBytes
            state.produced[variant.index] += 1
            while state.bytes > maxBytes, state.entries > 1, state.orderCount > 0 {
                Self.evictOldest(&state, mask: mask)
            }
            return buffer
        }
    }

    /// Drops the oldest seq of the order ring, and its slot if the slot still holds it.
    private static func evictOldest(_ state: inout State, mask: Int) {
        let seq = state.order[state.orderStart]
        state.orderStart = (state.orderStart + 1) % state.order.count
        state.orderCount -= 1
        let slot = Int(truncatingIfNeeded: seq) & mask
        if state.slots[slot].seq == seq { clear(&state, slot: slot) }
    }

    private static func clear(_ state: inout State, slot: Int) {
        guard state.slots[slot].seq != 0 else { return }
        state.bytes -= state.slots[slot].bytes
        state.entries -= 1
        state.slots[slot] = Slot()
    }

    /// Builds a variant from the stored frame. A frame that cannot be stripped (it was stored by this relay after
    /// verification, so this means corruption) is sent with its proofs.
    static func produce(_ event: StoredEvent, variant: FrameVariant) -> [UInt8] {
        var frame = event.frame
        if variant.stripped, event.kind == .commit, case .commit(let message)? = try? FrameDecoder.decode(frame),
            let stripped = try? ProofStripper.strip(message)
        {
            frame = FrameEncoder.encode(stripped)
        }
        guard variant.compressed else { return frame }
        // Deflate only fails when zlib cannot allocate; an empty final block then keeps the stream decodable.
        return (try? FrameCompressor.deflate(frame)) ?? [0x03, 0x00]
    }
}
