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
    private struct Entry {
        var buffers: [ByteBuffer?] = [nil, nil, nil, nil]
        var bytes = 0
    }

    private struct State {
        var entries: [UInt64: Entry] = [:]
        var order: [UInt64] = []
        var orderStart = 0
        var bytes = 0
        var produced = [0, 0, 0, 0]
        var productionNanoseconds: [UInt64] = [0, 0, 0, 0]
    }

    private let state = Mutex(State())
    /// Most events kept.
    public let maxEntries: Int
    /// Most bytes kept.
    public let maxBytes: Int

    /// Creates a cache.
    public init(maxEntries: Int = 16_384, maxBytes: Int = 128 << 20) {
        self.maxEntries = maxEntries
        self.maxBytes = maxBytes
    }

    /// How many times each variant was produced (for metrics and tests).
    public func producedCount(_ variant: FrameVariant) -> Int { state.withLock { $0.produced[variant.index] } }

    /// CPU time (of the producing threads) spent building `variant` so far, e.g. compression cost for benchmarks
    /// (not measured for the full variant, a copy: always 0).
    public func productionCPUNanoseconds(_ variant: FrameVariant) -> UInt64 {
        state.withLock { $0.productionNanoseconds[variant.index] }
    }

    /// The bytes to send for the event `view` shows (read inside the log's read transaction) in `variant`: a
    /// WebSocket message payload; compressed variants are raw deflate to be sent with RSV1. A hit is one lookup; a
    /// miss copies the frame out of the map once for every subscriber (the full variant included).
    public func frame(for view: EventView, variant: FrameVariant) -> ByteBuffer {
        cached(seq: view.seq, variant: variant) {
            variant == .full
                ? ByteBuffer(bytes: view.frame) : ByteBuffer(bytes: Self.produce(view.copy(), variant: variant))
        }
    }

    /// The cached variant of `seq`, made by `make` (under the lock, so it is made once) when absent.
    private func cached(seq: UInt64, variant: FrameVariant, make: () -> ByteBuffer) -> ByteBuffer {
        state.withLock { state in
            if let buffer = state.entries[seq]?.buffers[variant.index] { return buffer }
            // The full variant is a plain copy; timing it would cost two clock syscalls per event for nothing.
            let timed = variant != .full
            let started = timed ? ThreadCPUClock.nanoseconds() : 0
            let buffer = make()
            if timed { state.productionNanoseconds[variant.index] &+= ThreadCPUClock.nanoseconds() &- started }
            var entry = state.entries[seq] ?? {
                state.order.append(seq)
                return Entry()
            }()
            entry.buffers[variant.index] = buffer
            entry.bytes += buffer.readableBytes
            state.bytes += buffer.readableBytes
            state.entries[seq] = entry
            state.produced[variant.index] += 1
            Self.evict(&state, maxEntries: maxEntries, maxBytes: maxBytes)
            return buffer
        }
    }

    private static func evict(_ state: inout State, maxEntries: Int, maxBytes: Int) {
        while state.entries.count > maxEntries || (state.bytes > maxBytes && state.entries.count > 1) {
            let seq = state.order[state.orderStart]
            state.orderStart += 1
            if let removed = state.entries.removeValue(forKey: seq) { state.bytes -= removed.bytes }
        }
        if state.orderStart > 4096 {
            state.order.removeFirst(state.orderStart)
            state.orderStart = 0
        }
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
